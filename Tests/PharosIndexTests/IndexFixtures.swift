import DICOM
import Foundation
@testable import PharosIndex

/// A fresh folder for one test's index file.
func makeIndexFolder() -> String {
    let path = NSTemporaryDirectory() + "pharos-index-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Builds a NewInstance with plausible main tags; every argument that shapes the hierarchy can be chosen.
func makeInstance(patient: String = "P1", study: String = "1.2.3", series: String = "1.2.3.4", sop: String,
                  patientName: String = "DOE^JOHN", studyDate: String = "20200115", modality: String = "CT",
                  accession: String = "ACC1", studyDescription: String = "Chest", manufacturer: String = "ACME",
                  referring: String = "House^Gregory", instanceNumber: Int = 1, size: Int64 = 1000,
                  uuid: String = UUID().uuidString.lowercased(), header: [UInt8]? = nil) -> NewInstance {
    let ids = ResourceIdentifiers(patientID: patient, studyInstanceUID: study, seriesInstanceUID: series,
                                  sopInstanceUID: sop)
    let patientTags: MainTags = [.patientID: patient, .patientName: patientName,
                                 Tag(0x0010, 0x0030): "19700101", Tag(0x0010, 0x0040): "M"]
    let studyTags: MainTags = [.studyInstanceUID: study, .studyDate: studyDate, Tag(0x0008, 0x0050): accession,
                               Tag(0x0008, 0x1030): studyDescription, Tag(0x0008, 0x0090): referring,
                               Tag(0x0008, 0x0030): "101500"]
    let seriesTags: MainTags = [.seriesInstanceUID: series, .modality: modality, Tag(0x0008, 0x0070): manufacturer,
                                Tag(0x0020, 0x0011): "1", Tag(0x0018, 0x0024): "seqA"]
    let instanceTags: MainTags = [.sopInstanceUID: sop, Tag(0x0020, 0x0013): String(instanceNumber),
                                  Tag(0x0020, 0x0032): "0\\0\\\(instanceNumber)"]
    let attachment = Attachment(kind: .dicom, uuid: uuid, compressedSize: size, uncompressedSize: size * 2,
                                compression: 1, md5Compressed: "00", md5Uncompressed: "11")
    return NewInstance(identifiers: ids, patientTags: patientTags, studyTags: studyTags, seriesTags: seriesTags,
                       instanceTags: instanceTags, attachments: [attachment],
                       metadata: [.indexInSeries: String(instanceNumber), .origin: "Unknown",
                                  .transferSyntax: "1.2.840.10008.1.2.1"],
                       expectedInstancesInSeries: 3, header: header)
}
