import DICOM
import Foundation
import PharosIndex

/// `GET`/`POST /{patients,studies,series}/{id}/archive` and `/tools/create-archive`: instances as a ZIP archive, in
/// Orthanc's folder layout (`ArchiveLayout`). Answered synchronously (Orthanc's "Synchronous": true), streamed as the
/// files are read.
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
        // Several resources of any levels in one archive: a JSON list of IDs or {"Resources": [...]} (POST), or
        // `?resources=id1,id2` (GET, Orthanc 1.12.2).
        routes.post("/tools/create-archive") { request, _ in
            let body = try await request.collectBody(limit: 1 << 24)
            let (ids, filename) = try Self.resourceList(body)
            return try await archive(of: ids, filename: filename ?? request.uri.queryParameters.get("filename"))
        }
        routes.get("/tools/create-archive") { request, _ in
            guard let list = request.uri.queryParameters.get("resources") else {
                throw RESTError.badRequest("Missing the 'resources' argument: a comma-separated list of IDs")
            }
            let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return try await archive(of: ids, filename: request.uri.queryParameters.get("filename"))
        }
    }

    /// The resource IDs (and the optional `Filename`) of a `/tools/create-archive` body, refused as Orthanc does.
    static func resourceList(_ body: [UInt8]) throws -> (ids: [String], filename: String?) {
        let list: JSONValue
        var filename: String?
        switch try? JSONValue.parse(body) {
        case .array(let items)?:
            list = .array(items)
        case .object(let members)?:
            guard let resources = members["Resources"] else {
                throw RESTError(.badFileFormat, "Missing field Resources in the JSON body")
            }
            list = resources
            if case .string(let name)? = members["Filename"] { filename = name }
        default:
            throw RESTError(.badFileFormat, "Expected a list of resources to archive in the body")
        }
        guard case .array(let items) = list else {
            throw RESTError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
        }
        let ids = try items.map { item throws -> String in
            guard case .string(let id) = item else {
                throw RESTError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
            }
            return id
        }
        return (ids, filename)
    }

    /// The archive of several resources of any levels; an instance reached twice is stored once.
    private func archive(of ids: [String], filename: String?) async throws -> Response {
        var instances: [String] = []
        var seen: Set<String> = []
        for id in ids {
            guard let level = try await index.level(of: id) else { throw RESTError.unknownResource() }
            let found = level == .instance ? [id] : try await index.descendants(of: level, id, at: .instance)
            for instance in found where seen.insert(instance).inserted { instances.append(instance) }
        }
        return try await archive(instances: instances, name: Self.attachmentName(filename) ?? "Archive.zip")
    }

    /// Files read from storage at once while the archive is written.
    static let concurrentReads = 8
    /// Archive bytes gathered before each write to the client.
    static let partSize = 1 << 20

    private func archive(_ level: ResourceLevel, _ id: String, filename: String?) async throws -> Response {
        guard try await index.resource(level, id) != nil else { throw RESTError.unknownResource() }
        let instances = try await index.descendants(of: level, id, at: .instance)
        return try await archive(instances: instances, name: Self.attachmentName(filename) ?? "\(id).zip")
    }

    /// The ZIP of `instances`, streamed, downloaded as `name`.
    private func archive(instances: [String], name: String) async throws -> Response {
        let entries = ArchiveLayout(try await index.lineages(.instance, instances)).entries
        let now = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        let date = (now.year ?? 1980, now.month ?? 1, now.day ?? 1, now.hour ?? 0, now.minute ?? 0, now.second ?? 0)
        let instanceData = self.instanceData
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
