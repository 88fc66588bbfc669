import DICOM
import DICOMImaging
import Foundation
import Testing

/// Streams made by DCMTK's dcmcjpeg from uncompressed corpus files, decoded here and compared with the original
/// pixels (lossless) and with DCMTK's own dcmdjpeg decode.
@Suite struct JPEGDCMTKTests {
    struct Case: CustomStringConvertible, Sendable {
        var source: String
        var options: [String]
        var lossless: Bool
        var description: String { "\(source) \(options.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(source: "pydicom-data/693_UNCR.dcm", options: ["+e1"], lossless: true),           // 14-bit signed, SV1
        Case(source: "pydicom-data/US1_UNCR.dcm", options: ["+e1"], lossless: true),           // RGB, 3 components
        Case(source: "pydicom-data/mlut_18.dcm", options: ["+el", "+sv", "5", "+pt", "2"], lossless: true),  // Pt
        Case(source: "pydicom-data/vlut_04.dcm", options: ["+el", "+sv", "4"], lossless: true),   // 8-bit
        Case(source: "pydicom-data/vlut_04.dcm", options: ["+eb"], lossless: false),
        Case(source: "pydicom-data/US1_UNCR.dcm", options: ["+eb"], lossless: false),          // YCbCr 4:2:2
        Case(source: "pydicom-data/US1_UNCR.dcm", options: ["+eb", "+n1"], lossless: false),   // YCbCr 4:1:1
        Case(source: "pydicom-data/mlut_18.dcm", options: ["+ee"], lossless: false),           // 12-bit extended
        Case(source: "pydicom-data/MR2_UNCR.dcm", options: ["+ee", "+q", "75"], lossless: false),
    ] + (1...7).map { Case(source: "pydicom/CT_small.dcm", options: ["+el", "+sv", "\($0)"], lossless: true) }

    @Test(arguments: cases)
    func matchesDCMTK(_ testCase: Case) throws {
        try #require(JPEGTestData.hasCorpus, JPEGTestData.missingCorpus)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jpeg-dcmtk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = JPEGTestData.corpus.appendingPathComponent(testCase.source)
        let compressed = directory.appendingPathComponent("c.dcm"), decompressed = directory.appendingPathComponent("d.dcm")
        try run("dcmcjpeg", testCase.options + [source.path, compressed.path])
        try run("dcmdjpeg", ["+cn", compressed.path, decompressed.path])

        let frame = try #require(try JPEGTestData.frames(of: compressed).first, "dcmcjpeg wrote no JPEG frame")
        let image = try JPEGDecoder.decode(frame)
        let reference = try DICOMFile.read(contentsOf: decompressed.path).dataSet
        let rows = Int(reference.integer(Tag(0x0028, 0x0010)) ?? 0), columns = Int(reference.integer(Tag(0x0028, 0x0011)) ?? 0)
        let components = Int(reference.integer(Tag(0x0028, 0x0002)) ?? 1)
        #expect(image.width == columns && image.height == rows && image.components == components)
        let expected = try Self.samples(reference, precision: image.precision)
        try #require(expected.count == image.samples.count, "dcmdjpeg gave \(expected.count) samples, decoder \(image.samples.count)")
        var maxDiff = 0, total = 0
        for (a, b) in zip(expected, image.samples) {
            let d = abs(Int(a) - Int(b))
            maxDiff = max(maxDiff, d)
            total += d
        }
        if testCase.lossless {
            #expect(maxDiff == 0, "\(testCase): lossless decode differs from dcmdjpeg by up to \(maxDiff)")
            if !testCase.options.contains("+pt") {  // a point transform drops low bits by design
                let original = try DICOMFile.read(contentsOf: source.path).dataSet
                #expect(try Self.samples(original, precision: image.precision) == image.samples,
                        "\(testCase): lossless decode differs from the original pixels")
            }
        } else {
            let mean = Double(total) / Double(max(1, expected.count))
            let bound = image.precision > 8 ? 8 : (JPEGTestData.isSubsampled(frame) ? 4 : 2)
            #expect(maxDiff <= bound && mean < 0.5, "\(testCase): max diff \(maxDiff), mean diff \(mean)")
        }
    }

    /// Native pixel samples of an uncompressed data set, interleaved, masked to the JPEG precision.
    static func samples(_ dataSet: DataSet, precision: Int) throws -> [UInt16] {
        let bytes = try #require(dataSet[Tag.pixelData]?.bytes)
        let allocated = Int(dataSet.integer(Tag(0x0028, 0x0100)) ?? 16)
        let rows = Int(dataSet.integer(Tag(0x0028, 0x0010)) ?? 0), columns = Int(dataSet.integer(Tag(0x0028, 0x0011)) ?? 0)
        let components = Int(dataSet.integer(Tag(0x0028, 0x0002)) ?? 1)
        let planar = (dataSet.integer(Tag(0x0028, 0x0006)) ?? 0) == 1
        let count = rows * columns * components
        let mask = UInt16(truncatingIfNeeded: (1 << precision) - 1)
        var values = [UInt16](repeating: 0, count: count)
        for i in 0..<count {
            let value = allocated == 8 ? UInt16(bytes[i]) : UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8
            // Planar data: move sample i (plane p, pixel n) to its interleaved place.
            let target = planar ? (i % (rows * columns)) * components + i / (rows * columns) : i
            values[target] = value & mask
        }
        return values
    }

    func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed; is DCMTK installed?")
    }
}
