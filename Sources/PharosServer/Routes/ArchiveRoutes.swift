import DICOM
import Foundation
import PharosIndex

/// `GET`/`POST /{patients,studies,series}/{id}/archive`: the resource's instances as a ZIP archive, in Orthanc's
/// folder layout (`ArchiveLayout`). Answered synchronously (Orthanc's "Synchronous": true); the archive is built
/// in memory.
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

    /// Files read from storage at once while building an archive.
    static let concurrentReads = 8

    private func archive(_ level: ResourceLevel, _ id: String, filename: String?) async throws -> Response {
        guard try await index.resource(level, id) != nil else { throw RESTError.unknownResource() }
        let instances = try await index.descendants(of: level, id, at: .instance)
        let layout = ArchiveLayout(try await index.lineages(.instance, instances))
        let entries = layout.entries
        let now = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        var writer = ZipWriter(date: (now.year ?? 1980, now.month ?? 1, now.day ?? 1, now.hour ?? 0, now.minute ?? 0,
                                   now.second ?? 0))
        // Read a few files at once, written in order.
        var start = 0
        while start < entries.count {
            let batch = Array(entries[start ..< min(entries.count, start + Self.concurrentReads)])
            let files = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                for (i, entry) in batch.enumerated() {
                    group.addTask { (i, try await instanceData.fileBytes(ofInstance: entry.instance)) }
                }
                var out = [[UInt8]](repeating: [], count: batch.count)
                for try await (i, bytes) in group { out[i] = bytes }
                return out
            }
            if start == 0 { writer.reserve(files.reduce(0) { $0 + $1.count } * entries.count / max(1, batch.count) + 4096) }
            for (entry, bytes) in zip(batch, files) { writer.add(entry.path, bytes) }
            start += batch.count
        }
        let name = Self.attachmentName(filename) ?? "\(id).zip"
        return .bytes(writer.finish(), contentType: "application/zip",
                      extraHeaders: [.contentDisposition: "filename=\"\(name)\""])
    }

    /// A `filename` argument usable in the header: printable ASCII without quotes or backslashes.
    static func attachmentName(_ filename: String?) -> String? {
        guard let filename, !filename.isEmpty,
              filename.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        else { return nil }
        return filename
    }
}
