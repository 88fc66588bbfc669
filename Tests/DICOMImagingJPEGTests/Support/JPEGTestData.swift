import DICOM
import Foundation
import Testing

/// Locates TestData/ (corpus and the reference JSON made by Support/jpeg-reference.py) from this file's path.
enum JPEGTestData {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestData")
    static let corpus = root.appendingPathComponent("corpus")
    static let referencePath = root.appendingPathComponent("reference-jpeg.json")

    static let missingCorpus: Comment = "TestData/corpus is missing: run `make testdata` to fetch the corpus"
    static let missingReference: Comment = """
        TestData/reference-jpeg.json is missing: run `make testdata` (it runs \
        python3 Tests/DICOMImagingJPEGTests/Support/jpeg-reference.py TestData/corpus TestData/reference-jpeg.json)
        """

    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    /// The reference decodes, or nil when the JSON is missing or unreadable.
    static let reference: JPEGReference? = {
        guard let data = try? Data(contentsOf: referencePath) else { return nil }
        return try? JSONDecoder().decode(JPEGReference.self, from: data)
    }()

    /// The JPEG streams of a DICOM file's encapsulated pixel data, one per frame.
    static func frames(of url: URL) throws -> [[UInt8]] {
        let file = try DICOMFile.read(contentsOf: url.path)
        guard let pixels = file.dataSet[Tag.pixelData]?.fragments else { return [] }
        let count = Int(file.dataSet.integer(Tag(0x0028, 0x0008)) ?? 1)
        return splitFrames(pixels, count: max(count, 1))
    }

    /// Splits fragments into frames: one frame is all fragments; otherwise a fragment starting with SOI opens a frame.
    static func splitFrames(_ pixels: EncapsulatedPixelData, count: Int) -> [[UInt8]] {
        if count == 1 { return [pixels.fragments.flatMap { $0 }] }
        if pixels.fragments.count == count { return pixels.fragments }
        var frames: [[UInt8]] = []
        for fragment in pixels.fragments {
            if frames.isEmpty || (fragment.count >= 2 && fragment[0] == 0xFF && fragment[1] == 0xD8) {
                frames.append(fragment)
            } else {
                frames[frames.count - 1] += fragment
            }
        }
        return frames
    }

    /// The stream's frame header gives components different sampling factors (read independently of the decoder).
    static func isSubsampled(_ stream: [UInt8]) -> Bool {
        var i = 2
        while i + 4 < stream.count {
            guard stream[i] == 0xFF else { i += 1; continue }
            let marker = stream[i + 1]
            let length = Int(stream[i + 2]) << 8 | Int(stream[i + 3])
            if (0xC0...0xC3).contains(marker), i + 10 < stream.count {
                let count = Int(stream[i + 9])
                var factors = Set<UInt8>()
                for c in 0..<count where i + 11 + 3 * c < stream.count { factors.insert(stream[i + 11 + 3 * c]) }
                return factors.count > 1
            }
            i += 2 + length
        }
        return false
    }

    /// The samples as little-endian bytes, the form the reference hashes.
    static func littleEndianBytes(_ samples: [UInt16]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(samples.count * 2)
        for s in samples { out.append(UInt8(s & 0xFF)); out.append(UInt8(s >> 8)) }
        return out
    }
}

/// The JSON written by Support/jpeg-reference.py.
struct JPEGReference: Decodable {
    struct Frame: Decodable {
        var index: Int
        var error: String?
        var width: Int?
        var height: Int?
        var components: Int?
        var sha256: String?
        var min: [Int]?
        var max: [Int]?
        var mean: [Double]?
        var samples: String?

        /// The first frame's samples of a lossy file, decoded from base64 little-endian UInt16.
        var sampleValues: [UInt16]? {
            guard let samples, let data = Data(base64Encoded: samples) else { return nil }
            let bytes = [UInt8](data)
            return stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
        }
    }

    struct File: Decodable {
        var file: String
        var transferSyntax: String
        var kind: String
        var error: String?
        var frames: [Frame]
    }

    var files: [File]
}
