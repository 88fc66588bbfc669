import DICOM
import DICOMImaging
import Foundation
import Testing

/// Decode speed, printed only (run with JPEG_BENCH=1 in a release build); performance is never asserted.
@Test func decodeSpeed() throws {
    guard ProcessInfo.processInfo.environment["JPEG_BENCH"] != nil else { return }
    for (name, path) in [("lossless 512x512", "/tmp/jt/bench-ll.dcm"), ("baseline 512x512", "/tmp/jt/bench-eb.dcm"),
                         ("extended12 512x512", "/tmp/jt/bench-ee.dcm")] {
        guard let frame = try? JPEGTestData.frames(of: URL(fileURLWithPath: path)).first else { continue }
        _ = try JPEGDecoder.decode(frame)
        let runs = 50
        let start = ContinuousClock.now
        for _ in 0..<runs { _ = try JPEGDecoder.decode(frame) }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 / Double(runs) + Double(elapsed.components.seconds) * 1000 / Double(runs)
        print("SPEED \(name): \(ms) ms per frame")
    }
}
