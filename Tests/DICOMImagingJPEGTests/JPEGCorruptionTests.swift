import DICOMImaging
import Foundation
import Testing
import TestSupport

/// Malformed, truncated and unsupported streams end in a JPEGError (or a decoded image for harmless damage),
/// never a crash or a hang.
@Suite struct JPEGCorruptionTests {
    static func streams() throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var encoder = LosslessTestEncoder(width: 40, height: 30, components: 3, precision: 12, predictor: 6, restartInterval: 40)
        out.append(("synthetic lossless with restarts",
                    encoder.encode(JPEGLosslessSyntheticTests.image(width: 40, height: 30, components: 3, precision: 12, seed: 9))))
        guard JPEGTestData.hasCorpus else { return out }
        for name in ["pydicom-data/JPGLosslessP14SV1_1s_1f_8b.dcm", "pydicom/SC_rgb_dcmtk_+eb+cy+s2.dcm",
                     "pydicom/JPGExtended.dcm", "pydicom/SC_rgb_jpeg_gdcm.dcm"] {
            if let frame = try JPEGTestData.frames(of: JPEGTestData.corpus.appendingPathComponent(name)).first {
                out.append((name, frame))
            }
        }
        return out
    }

    @Test func truncatedStreamsFail() throws {
        try #require(JPEGTestData.hasCorpus, JPEGTestData.missingCorpus)
        for (name, stream) in try Self.streams() {
            _ = try JPEGDecoder.decode(stream)  // the intact stream decodes
            for fraction in [0.0, 0.01, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95] {
                let cut = Array(stream.prefix(Int(Double(stream.count) * fraction)))
                #expect(throws: JPEGError.self, "\(name) cut at \(cut.count) of \(stream.count) bytes") {
                    try JPEGDecoder.decode(cut)
                }
            }
        }
    }

    @Test func flippedBytesEndInTime() throws {
        try #require(JPEGTestData.hasCorpus, JPEGTestData.missingCorpus)
        var random = TestRandom(state: 42)
        for (name, stream) in try Self.streams() {
            var errors = 0
            for _ in 0..<15 {
                var damaged = stream
                for _ in 0..<Int(1 + random.next() % 4) {
                    let at = Int(random.next() % UInt64(damaged.count))
                    damaged[at] ^= UInt8(1 + random.next() % 255)
                }
                let start = ContinuousClock.now
                do { _ = try JPEGDecoder.decode(damaged) } catch { errors += 1; #expect(!error.description.isEmpty) }
                #expect(ContinuousClock.now - start < .seconds(5), "\(name): a damaged stream took too long")
            }
            #expect(errors > 0, "\(name): no damaged stream was detected at all")
        }
    }

    @Test func unsupportedProcessesAreNamed() {
        for (marker, word) in [(UInt8(0xC2), "progressive"), (0xC9, "arithmetic"), (0xC5, "hierarchical")] {
            let stream: [UInt8] = [0xFF, 0xD8, 0xFF, marker, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0, 0xFF, 0xD9]
            #expect {
                try JPEGDecoder.decode(stream)
            } throws: { error in
                (error as? JPEGError)?.description.contains(word) == true
            }
        }
    }

    @Test func implausibleHeadersAreRejected() {
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("no SOI", [0x00, 0x01, 0x02, 0x03]),
            ("only SOI and EOI", [0xFF, 0xD8, 0xFF, 0xD9]),
            ("zero width", [0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 8, 0, 8, 0, 0, 1, 1, 0x11, 0, 0xFF, 0xD9]),
            ("huge frame in a tiny stream", [0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 16, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0, 0xFF, 0xD9]),
            ("segment longer than the data", [0xFF, 0xD8, 0xFF, 0xC4, 0x40, 0x00, 0, 0]),
            ("scan before frame", [0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 1, 0, 0, 0xFF, 0xD9]),
            ("precision 1", [0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 1, 0, 8, 0, 8, 1, 1, 0x11, 0, 0xFF, 0xD9]),
        ]
        for (name, stream) in cases {
            #expect(throws: JPEGError.self, "\(name)") { try JPEGDecoder.decode(stream) }
        }
    }
}
