import Foundation
import Testing
@testable import DICOM

/// The resource IDs we compute equal those Orthanc 1.10.1 computed for the same files (captured in ids.json).
@Suite struct OrthancIDTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/orthanc")

    static func expected() throws -> [(String, [String: String])] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("ids.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: String]])
        return object.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func path(of key: String) -> String? {
        if key.hasPrefix("corpus:") {
            guard Corpus.isAvailable else { return nil }
            return Corpus.corpusDirectory.appendingPathComponent(String(key.dropFirst(7))).path
        }
        return fixtures.appendingPathComponent("dicom").appendingPathComponent(String(key.dropFirst(8))).path
    }

    /// Files where Pharos deliberately differs. explicit_VR-UN.dcm writes public identifiers with VR UN and a space
    /// pad; Orthanc (DCMTK) hashes "PANCREAS_0001 " with the pad, so the same patient sent as LO and as UN gets two
    /// IDs there. Pharos reads UN with the dictionary VR and trims the pad: one patient, one ID.
    static let deliberateDifferences: Set<String> = ["corpus:pydicom-data/explicit_VR-UN.dcm"]

    @Test func idsEqualOrthancs() throws {
        let table = try Self.expected()
        #expect(table.count >= 20)
        var checked = 0
        for (key, ids) in table {
            guard !Self.deliberateDifferences.contains(key), let path = Self.path(of: key) else { continue }
            let file = try DICOMFile.read(contentsOf: path, options: .headerOnly)
            let ours = try ResourceIdentifiers(dataSet: file.dataSet)
            #expect(ours.instance == ids["ID"], "\(key)")
            #expect(ours.series == ids["ParentSeries"], "\(key)")
            #expect(ours.study == ids["ParentStudy"], "\(key)")
            #expect(ours.patient == ids["ParentPatient"], "\(key)")
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test func unPaddedIdentifierIsTrimmed() throws {
        guard let path = Self.path(of: "corpus:pydicom-data/explicit_VR-UN.dcm") else { return }
        let file = try DICOMFile.read(contentsOf: path, options: .headerOnly)
        let ours = try ResourceIdentifiers(dataSet: file.dataSet)
        #expect(ours.patientID == "PANCREAS_0001")
        #expect(ours.patient == ResourceIdentifiers.hash(["PANCREAS_0001"]))
    }
}
