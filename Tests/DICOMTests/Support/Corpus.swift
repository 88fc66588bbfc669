import Foundation
import Testing
@testable import DICOM

/// The real-file corpus fetched by `make testdata` (Scripts/fetch-test-data.sh) into TestData/, git-ignored.
enum Corpus {
    /// TestData/ at the package root, found from this source file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestData")

    static let corpusDirectory = root.appendingPathComponent("corpus")
    static let referenceDirectory = root.appendingPathComponent("reference")

    /// The corpus and its reference JSON are both there.
    static let isAvailable: Bool = {
        let fm = FileManager.default
        return fm.fileExists(atPath: root.appendingPathComponent(".stamp").path)
            && fm.fileExists(atPath: corpusDirectory.path) && fm.fileExists(atPath: referenceDirectory.path)
    }()

    static let missingMessage: Comment = "TestData/ is missing: run `make testdata` (make test does it) to fetch the corpus"

    /// Every file of the corpus, sorted by name; empty when TestData/ is missing.
    static let files: [CorpusFile] = {
        guard isAvailable else { return [] }
        var out: [CorpusFile] = []
        let base = corpusDirectory.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        while let rel = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            out.append(CorpusFile(name: rel))
        }
        return out.sorted { $0.name < $1.name }
    }()
}

/// One corpus file, named `<corpus>/<path>` (e.g. `pydicom/CT_small.dcm`).
struct CorpusFile: Sendable, CustomStringConvertible, Hashable {
    let name: String
    var description: String { name }
    var path: String { Corpus.corpusDirectory.appendingPathComponent(name).path }
    var referencePath: String { Corpus.referenceDirectory.appendingPathComponent(name + ".json").path }

    func reference() throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: referencePath))
        return try JSONDecoder().decode(Reference.self, from: data)
    }
}

/// What Scripts/reference-dump.py recorded for one file (pydicom's view, with DCMTK's as a second opinion).
struct Reference: Decodable {
    struct Reader: Decodable {
        let ok: Bool
        let forced: Bool?
        let error: String?
    }
    struct Dcmtk: Decodable {
        let ok: Bool
        let topLevelTags: [String]
        let error: String?
    }
    struct StringValue: Decodable {
        /// The exact value bytes as latin-1 text.
        let raw: String?
        /// pydicom's decoded values.
        let values: [String]?
    }
    struct Pixel: Decodable {
        let valueOffset: Int
        let length: Int?
        let vr: String
    }

    let pydicom: Reader
    let dcmtk: Dcmtk?
    let valid: Bool
    let transferSyntax: String?
    let implicitVR: Bool?
    let littleEndian: Bool?
    let metaTags: [String]?
    let topLevelTags: [String]?
    let vrs: [String]?
    let topLevelCount: Int?
    let totalCount: Int?
    let strings: [String: StringValue]?
    let sequences: [String: Int]?
    let itemCounts: [Int]?
    let pixelData: Pixel?
}

extension Tag {
    /// Eight lower-case hex digits, as the reference JSON spells tags.
    var referenceKey: String { hex(separator: "", uppercase: false) }
}

extension DataSet {
    /// Elements here and in every sequence item below, as pydicom counts them.
    var totalElementCount: Int {
        elements.reduce(0) { sum, e in sum + 1 + (e.items ?? []).reduce(0) { $0 + $1.totalElementCount } }
    }

    /// Item counts of every sequence at any depth, depth first.
    var allItemCounts: [Int] {
        var out: [Int] = []
        for e in elements {
            guard let items = e.items else { continue }
            out.append(items.count)
            for item in items { out += item.allItemCounts }
        }
        return out
    }
}
