import DICOM
import Foundation
import PharosIndex

/// `GET`/`POST /{patients,studies,series}/{id}/archive`: the resource's instances as a ZIP archive, in Orthanc's
/// folder layout (`ArchiveLayout`). Answered synchronously (Orthanc's "Synchronous": true), streamed as the files
/// are read.
struct ArchiveRoutes {
    let index: any Index
    let instanceData: InstanceData

    func register(on routes: RouteTable) {
        for level in [ResourceLevel.patient, .study, .series] {
            let handler: RouteTable.Handler = { request, context in
                try await archive(level, try request.id(context), filename: request.uri.queryParameters.get("filename"))
            }
            routes.get("/\(level.collection)/{id}/archive", handler)
            routes.post("/\(level.collection)/{id}/archive", handler)
        }
    }

    /// Files read from storage at once while the archive is written.
    static let concurrentReads = 8
    /// Archive bytes gathered before each write to the client.
    static let partSize = 1 << 20

    private func archive(_ level: ResourceLevel, _ id: String, filename: String?) async throws -> Response {
        guard try await index.resource(level, id) != nil else { throw RESTError.unknownResource() }
        let instances = try await index.descendants(of: level, id, at: .instance)
        let entries = ArchiveLayout(try await index.lineages(.instance, instances)).entries
        let now = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        let date = (now.year ?? 1980, now.month ?? 1, now.day ?? 1, now.hour ?? 0, now.minute ?? 0, now.second ?? 0)
        let instanceData = self.instanceData
        let name = Self.attachmentName(filename) ?? "\(id).zip"
        // Streamed: only a few files and one part are held at a time, whatever the size of the archive.
        return Response(status: .ok, headers: [.contentType: "application/zip",
                                               .contentDisposition: "filename=\"\(name)\""]) { body in
            var writer = ZipWriter(date: date)
            var part: [UInt8] = []
            var start = 0
            while start < entries.count {
                let batch = Array(entries[start ..< min(entries.count, start + Self.concurrentReads)])
                let files = try await Self.read(batch.map(\.instance), instanceData)
                for (entry, bytes) in zip(batch, files) {
                    writer.add(entry.path, bytes, to: &part)
                    if part.count >= Self.partSize {
                        try await body.write(part)
                        part = []
                    }
                }
                start += batch.count
            }
            part += writer.finish()
            try await body.write(part)
        }
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

    /// A `filename` argument usable in the header: printable ASCII without quotes or backslashes.
    static func attachmentName(_ filename: String?) -> String? {
        guard let filename, !filename.isEmpty,
              filename.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        else { return nil }
        return filename
    }
}
