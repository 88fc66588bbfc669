import DICOM
import Foundation
import PharosIndex

/// What a ZIP archive or DICOM media holds (each instance's path, and the DICOMDIR of media), and how it is written
/// in parts: only a few files and one part are held in memory at a time, whatever the size of the archive.
struct ArchiveContent: Sendable {
    /// Orthanc's folder layout, or DICOM media (`IMAGES/IM0`… and a DICOMDIR).
    enum Kind: Sendable {
        case archive
        case media(extended: Bool)
    }

    /// What was written.
    struct Totals: Sendable {
        var instances = 0
        var uncompressedSize: Int64 = 0
        var archiveSize: Int64 = 0
    }

    let entries: [(instance: String, path: String)]
    /// A last entry written from memory (the DICOMDIR).
    let trailer: (path: String, bytes: [UInt8])?

    /// Files read from storage at once while the archive is written.
    static let concurrentReads = 8
    /// Archive bytes gathered before each write.
    static let partSize = 1 << 20

    /// The content of `kind` for `instances`.
    static func make(instances: [String], _ kind: Kind, index: any Index,
                     instanceData: InstanceData) async throws -> ArchiveContent {
        let lineages = try await index.lineages(.instance, instances)
        switch kind {
        case .archive:
            return ArchiveContent(entries: ArchiveLayout(lineages).entries, trailer: nil)
        case .media(let extended):
            var described: [DicomDirectory.Instance] = []
            for lineage in lineages {
                guard let id = lineage.publicIDs.first else { continue }
                let metadata = try await index.metadata(.instance, id)
                var instance = DicomDirectory.Instance(lineage: lineage, sopClassUID: metadata[.sopClassUid] ?? "",
                                                       transferSyntaxUID: metadata[.transferSyntax] ?? "")
                // Records other than IMAGE list keys outside the main tags: read from the instance's header.
                let wanted = DicomDirectory.recordKeys(DicomDirectory.recordType(sopClass: instance.sopClassUID))
                if !wanted.isEmpty, let file = try? await instanceData.file(ofInstance: id) {
                    instance.extraKeys = DicomDirectory.extraKeys(wanted, from: file.dataSet)
                }
                described.append(instance)
            }
            let directory = DicomDirectory(described, extended: extended)
            return ArchiveContent(entries: directory.entries, trailer: ("DICOMDIR", try directory.serialized()))
        }
    }

    /// Writes the ZIP, part after part, to `sink`.
    @discardableResult
    func write(_ instanceData: InstanceData, to sink: (_ part: [UInt8]) async throws -> Void) async throws -> Totals {
        let now = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        let date = (now.year ?? 1980, now.month ?? 1, now.day ?? 1, now.hour ?? 0, now.minute ?? 0, now.second ?? 0)
        var writer = ZipWriter(date: date)
        var totals = Totals()
        var part: [UInt8] = []
        func flush() async throws {
            totals.archiveSize += Int64(part.count)
            try await sink(part)
            part = []
        }
        var start = 0
        while start < entries.count {
            let batch = Array(entries[start ..< min(entries.count, start + Self.concurrentReads)])
            let files = try await Self.read(batch.map(\.instance), instanceData)
            for (entry, bytes) in zip(batch, files) {
                writer.add(entry.path, bytes, to: &part)
                totals.instances += 1
                totals.uncompressedSize += Int64(bytes.count)
                if part.count >= Self.partSize { try await flush() }
            }
            start += batch.count
        }
        if let trailer { writer.add(trailer.path, trailer.bytes, to: &part) }
        part += writer.finish()
        try await flush()
        return totals
    }

    /// The stored files of some instances, read at once, in order.
    private static func read(_ ids: [String], _ instanceData: InstanceData) async throws -> [[UInt8]] {
        try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for (i, id) in ids.enumerated() {
                group.addTask { (i, try await instanceData.fileBytes(ofInstance: id)) }
            }
            var out = [[UInt8]](repeating: [], count: ids.count)
            for try await (i, bytes) in group { out[i] = bytes }
            return out
        }
    }
}
