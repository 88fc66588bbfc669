import DICOM
import Foundation
import Testing

/// The real-file corpus and pydicom's reference decoding, found from this file's location.
enum TestCorpus {
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestData")
    static let corpus = root.appendingPathComponent("corpus")
    static let reference = root.appendingPathComponent("pixel-reference")

    static let missingMessage = "TestData is missing: run `make testdata` (it fetches the corpus and runs Tests/DICOMImagingTests/Support/pixel-reference.py)"

    /// Every file of the corpus, as paths relative to the corpus folder.
    static func files() throws -> [String] {
        guard FileManager.default.fileExists(atPath: corpus.path) else {
            Issue.record(Comment(rawValue: missingMessage))
            return []
        }
        let enumerator = FileManager.default.enumerator(atPath: corpus.path)
        var out: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isDirectory),
               !isDirectory.boolValue { out.append(name) }
        }
        return out.sorted()
    }

    static func read(_ name: String) throws -> DICOMFile {
        try DICOMFile.read(contentsOf: corpus.appendingPathComponent(name).path)
    }

    /// One file's entry in pixels.json.
    struct Reference {
        var transferSyntax: String
        var frames = 0, rows = 0, columns = 0, samplesPerPixel = 0
        var dtype = ""
        var photometric = ""
        var sum: Int64 = 0, weightedSum: Int64 = 0
        var raw: String?
        var error: String?
    }

    /// pydicom's decoding of every pixel-bearing file, by relative path.
    static func references() throws -> [String: Reference] {
        let url = reference.appendingPathComponent("pixels.json")
        guard let data = try? Data(contentsOf: url) else {
            Issue.record(Comment(rawValue: missingMessage))
            return [:]
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [:] }
        var out: [String: Reference] = [:]
        for (name, e) in object {
            var r = Reference(transferSyntax: e["transferSyntax"] as? String ?? "")
            r.error = e["error"] as? String
            r.frames = e["frames"] as? Int ?? 0
            r.rows = e["rows"] as? Int ?? 0
            r.columns = e["columns"] as? Int ?? 0
            r.samplesPerPixel = e["samplesPerPixel"] as? Int ?? 0
            r.dtype = e["dtype"] as? String ?? ""
            r.photometric = e["photometric"] as? String ?? ""
            r.sum = (e["sum"] as? NSNumber)?.int64Value ?? 0
            r.weightedSum = (e["weightedSum"] as? NSNumber)?.int64Value ?? 0
            r.raw = e["raw"] as? String
            out[name] = r
        }
        return out
    }

    /// The little-endian samples pydicom decoded (lossy files only), as values; the first `limit` of them if given.
    static func rawValues(_ r: Reference, limit: Int? = nil) -> [Int64]? {
        guard let raw = r.raw, let data = try? Data(contentsOf: reference.appendingPathComponent(raw)) else { return nil }
        let width = r.dtype.hasSuffix("2") ? 2 : 1
        let b = [UInt8](data.prefix(limit.map { $0 * width } ?? data.count))
        switch r.dtype {
        case "u1": return b.map { Int64($0) }
        case "i1": return b.map { Int64(Int8(bitPattern: $0)) }
        case "u2": return stride(from: 0, to: b.count - 1, by: 2).map { Int64(UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8) }
        case "i2": return stride(from: 0, to: b.count - 1, by: 2).map {
            Int64(Int16(bitPattern: UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8)) }
        default: return nil
        }
    }
}
