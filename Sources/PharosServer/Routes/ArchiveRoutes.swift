import DICOM
import Foundation
import PharosIndex

/// ZIP archives of instances, answered synchronously (Orthanc's "Synchronous": true) and streamed as the files are
/// read: `/{patients,studies,series}/{id}/archive` and `/tools/create-archive` in Orthanc's folder layout
/// (`ArchiveLayout`); `/{patients,studies,series}/{id}/media` and `/tools/create-media[-extended]` as DICOM media,
/// `IMAGES/IM0`… and a `DICOMDIR` (`DicomDirectory`).
struct ArchiveRoutes {
    let index: any Index
    let instanceData: InstanceData

    /// What the ZIP holds besides the files.
    enum Kind: Sendable {
        case archive
        case media(extended: Bool)
    }

    /// Options of a request: the download's name and, for media, extended DICOMDIR records.
    struct Options: Sendable {
        var filename: String?
        var extended = false
    }

    func register(on routes: RouteTable) {
        for level in [ResourceLevel.patient, .study, .series] {
            for (path, media) in [("archive", false), ("media", true)] {
                routes.get("/\(level.collection)/{id}/\(path)") { request, context in
                    let options = Self.options(request, body: nil)
                    return try await zip(of: level, try request.id(context), options, media: media)
                }
                routes.post("/\(level.collection)/{id}/\(path)") { request, context in
                    let body = try? JSONValue.parse(try await request.collectBody(limit: 1 << 16))
                    let options = Self.options(request, body: body)
                    return try await zip(of: level, try request.id(context), options, media: media)
                }
            }
        }
        // Several resources of any levels in one ZIP: a JSON list of IDs or {"Resources": [...]} (POST), or
        // `?resources=id1,id2` (GET, Orthanc 1.12.2).
        let tools: [(String, @Sendable (Options) -> Kind)] = [
            ("create-archive", { _ in .archive }),
            ("create-media", { .media(extended: $0.extended) }),
            ("create-media-extended", { _ in .media(extended: true) }),
        ]
        for (name, kind) in tools {
            routes.post("/tools/\(name)") { request, _ in
                let body = try await request.collectBody(limit: 1 << 24)
                let ids = try Self.resourceList(body)
                let options = Self.options(request, body: try? JSONValue.parse(body))
                return try await zip(of: ids, kind(options), name: Self.attachmentName(options.filename))
            }
            routes.get("/tools/\(name)") { request, _ in
                guard let list = request.uri.queryParameters.get("resources") else {
                    throw RESTError.badRequest("Missing the 'resources' argument: a comma-separated list of IDs")
                }
                let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let options = Self.options(request, body: nil)
                return try await zip(of: ids, kind(options), name: Self.attachmentName(options.filename))
            }
        }
    }

    /// `filename` and `extended` from the query string, overridden by `Filename` and `Extended` in a JSON body.
    static func options(_ request: Request, body: JSONValue?) -> Options {
        let query = request.uri.queryParameters
        var options = Options(filename: query.get("filename"))
        if let flag = query.get("extended") { options.extended = !["0", "false", "no"].contains(flag.lowercased()) }
        if case .object(let members)? = body {
            if case .string(let name)? = members["Filename"] { options.filename = name }
            if case .bool(let flag)? = members["Extended"] { options.extended = flag }
        }
        return options
    }

    /// The resource IDs of a `/tools/create-*` body, refused as Orthanc does.
    static func resourceList(_ body: [UInt8]) throws -> [String] {
        let list: JSONValue
        switch try? JSONValue.parse(body) {
        case .array(let items)?:
            list = .array(items)
        case .object(let members)?:
            guard let resources = members["Resources"] else {
                throw RESTError(.badFileFormat, "Missing field Resources in the JSON body")
            }
            list = resources
        default:
            throw RESTError(.badFileFormat, "Expected a list of resources to archive in the body")
        }
        guard case .array(let items) = list else {
            throw RESTError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
        }
        return try items.map { item throws -> String in
            guard case .string(let id) = item else {
                throw RESTError(.badFileFormat, "Expected a list of strings (Orthanc identifiers)")
            }
            return id
        }
    }

    /// The ZIP of one patient, study or series, downloaded as `<id>.zip` unless named.
    private func zip(of level: ResourceLevel, _ id: String, _ options: Options, media: Bool) async throws -> Response {
        guard try await index.resource(level, id) != nil else { throw RESTError.unknownResource() }
        let instances = try await index.descendants(of: level, id, at: .instance)
        return try await zip(instances: instances, media ? .media(extended: options.extended) : .archive,
                             name: Self.attachmentName(options.filename) ?? "\(id).zip")
    }

    /// The ZIP of several resources of any levels, an instance reached twice stored once; `Archive.zip` unless named.
    private func zip(of ids: [String], _ kind: Kind, name: String?) async throws -> Response {
        var instances: [String] = []
        var seen: Set<String> = []
        for id in ids {
            guard let level = try await index.level(of: id) else { throw RESTError.unknownResource() }
            let found = level == .instance ? [id] : try await index.descendants(of: level, id, at: .instance)
            for instance in found where seen.insert(instance).inserted { instances.append(instance) }
        }
        return try await zip(instances: instances, kind, name: name ?? "Archive.zip")
    }

    /// Files read from storage at once while the archive is written.
    static let concurrentReads = 8
    /// Archive bytes gathered before each write to the client.
    static let partSize = 1 << 20

    /// The ZIP of `instances`, streamed, downloaded as `name`.
    private func zip(instances: [String], _ kind: Kind, name: String) async throws -> Response {
        let lineages = try await index.lineages(.instance, instances)
        let entries: [(instance: String, path: String)]
        let trailer: (path: String, bytes: [UInt8])?
        switch kind {
        case .archive:
            entries = ArchiveLayout(lineages).entries
            trailer = nil
        case .media(let extended):
            var described: [DicomDirectory.Instance] = []
            for lineage in lineages {
                let metadata = try await index.metadata(.instance, lineage.publicIDs[0])
                described.append(DicomDirectory.Instance(lineage: lineage, sopClassUID: metadata[.sopClassUid] ?? "",
                                                         transferSyntaxUID: metadata[.transferSyntax] ?? ""))
            }
            let directory = DicomDirectory(described, extended: extended)
            entries = directory.entries
            trailer = ("DICOMDIR", try directory.serialized())
        }
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
                for (entry, bytes) in Swift.zip(batch, files) {
                    writer.add(entry.path, bytes, to: &part)
                    if part.count >= Self.partSize {
                        try await body.write(part)
                        part = []
                    }
                }
                start += batch.count
            }
            if let trailer { writer.add(trailer.path, trailer.bytes, to: &part) }
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
