import Foundation
import Testing
@testable import DICOM

/// Our renderings of real files against what Orthanc 1.10.1 answered for the same files, captured once into
/// Tests/DICOMTests/Fixtures/orthanc/ (one folder per file: tags, tags?short, simplified-tags, header,
/// header?simplify). Files named `fixture:` live in Fixtures/orthanc/dicom; `corpus:` ones in TestData/corpus.
@Suite struct OrthancJSONCompareTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/orthanc")

    static let names: [String] = {
        guard let data = try? Data(contentsOf: fixtures.appendingPathComponent("ids.json")),
              let ids = try? JSONValue.parse(Array(data)).objectValue else { return [] }
        return ids.keys.sorted()
    }()

    /// The DICOM file behind a fixture name, or nil when the corpus is not fetched.
    static func dicomPath(_ name: String) -> String? {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let path = parts[0] == "fixture"
            ? fixtures.appendingPathComponent("dicom/" + parts[1]).path
            : Corpus.corpusDirectory.appendingPathComponent(parts[1]).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func expected(_ name: String, _ file: String) throws -> String {
        let folder = name.split(separator: ":", maxSplits: 1)[1]
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".dcm", with: "")
        return try String(contentsOf: fixtures.appendingPathComponent(folder + "/" + file), encoding: .utf8)
    }

    @Test func fixturesArePresent() {
        #expect(Self.names.count >= 20)
        #expect(Self.names.contains("corpus:pydicom/CT_small.dcm"))
    }

    /// Files where Orthanc shows something the parsed data set no longer holds: DCMTK keeps the trailing padding
    /// of public elements written as UN, which our reader turns back into their dictionary VR.
    static let knownDeviations: Set<String> = ["corpus:pydicom-data/explicit_VR-UN.dcm"]

    @Test(arguments: names) func tagsMatchOrthanc(_ name: String) throws {
        guard !Self.knownDeviations.contains(name) else { return }
        guard let path = Self.dicomPath(name) else {
            #expect(!name.hasPrefix("fixture:"), "fixture file missing for \(name)")
            return
        }
        let file = try DICOMFile.read(contentsOf: path)
        let implicit = !file.transferSyntax.isExplicitVR
        for (format, fixture) in [(OrthancJSONOptions.Format.full, "tags.json"), (.short, "tags-short.json"),
                                  (.simplified, "tags-simplify.json")] {
            var options = OrthancJSONOptions.tags(format)
            options.readWithImplicitVR = implicit
            let ours = file.dataSet.orthancJSON(options).serialized(.orthanc)
            let theirs = try Self.expected(name, fixture)
            #expect(ours == theirs, "\(name) \(fixture): \(Self.firstDifference(ours, theirs))")
        }
    }

    @Test(arguments: names) func headerMatchesOrthanc(_ name: String) throws {
        guard let path = Self.dicomPath(name) else { return }
        let file = try DICOMFile.read(contentsOf: path)
        for (format, fixture) in [(OrthancJSONOptions.Format.full, "header.json"), (.simplified, "header-simplify.json")] {
            let ours = file.fileMetaInformation.orthancJSON(.header(format)).serialized(.orthanc)
            let theirs = try Self.expected(name, fixture)
            #expect(ours == theirs, "\(name) \(fixture): \(Self.firstDifference(ours, theirs))")
        }
    }

    /// The lines around the first difference, so a failure says what differs without dumping both texts.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0 ..< max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end>"
            let y = i < lb.count ? String(lb[i]) : "<end>"
            if x != y {
                let context = la[max(0, i - 3) ..< min(la.count, i)].joined(separator: "\n")
                return "line \(i + 1): ours «\(x)» Orthanc «\(y)» after:\n\(context)"
            }
        }
        return "same"
    }
}
