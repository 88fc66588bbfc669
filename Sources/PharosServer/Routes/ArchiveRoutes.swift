import DICOM
import Foundation
import PharosIndex

/// ZIP archives of instances, streamed as the files are read, or made by a job (`"Asynchronous": true`):
/// `/{patients,studies,series}/{id}/archive` and `/tools/create-archive` in Orthanc's folder layout
/// (`ArchiveLayout`); `/{patients,studies,series}/{id}/media` and `/tools/create-media[-extended]` as DICOM media,
/// `IMAGES/IM0`… and a `DICOMDIR` (`DicomDirectory`).
struct ArchiveRoutes {
    let index: any Index
    let instanceData: InstanceData
    let jobs: Jobs

    typealias Kind = ArchiveContent.Kind

    /// Options of a request: the download's name, for media extended DICOMDIR records, and whether a job makes it.
    struct Options: Sendable {
        var filename: String?
        var extended = false
        var asynchronous = false
    }

    func register(on routes: RouteTable) {
        for level in [ResourceLevel.patient, .study, .series] {
            for (path, media) in [("archive", false), ("media", true)] {
                routes.get("/\(level.collection)/{id}/\(path)") { request, context in
                    let options = Self.options(request, body: nil)
                    return try await zip(of: level, try request.id(context), options, media: media)
                }
                routes.post("/\(level.collection)/{id}/\(path)") { request, context in
                    // An empty body is allowed; one that is not JSON is refused, as Orthanc does.
                    let body = request.body.isEmpty ? nil : try await request.jsonBody(limit: 1 << 16)
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
                let body = try? JSONValue.parse(try await request.collectBody(limit: 1 << 24))
                let ids = try Self.resourceList(body)
                let options = Self.options(request, body: body)
                return try await zip(of: ids, kind(options), name: Self.attachmentName(options.filename),
                                     asynchronous: options.asynchronous)
            }
            routes.get("/tools/\(name)") { request, _ in
                guard let list = request.uri.queryParameters.get("resources") else {
                    throw RESTError.badRequest("Missing the 'resources' argument: a comma-separated list of IDs")
                }
                let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let options = Self.options(request, body: nil)
                return try await zip(of: ids, kind(options), name: Self.attachmentName(options.filename),
                                     asynchronous: false)
            }
        }
    }

    /// `filename` and `extended` from the query string, overridden by `Filename` and `Extended` in a JSON body, which
    /// may also ask for a job.
    static func options(_ request: Request, body: JSONValue?) -> Options {
        let query = request.uri.queryParameters
        var options = Options(filename: query.get("filename"))
        if let flag = query.get("extended") { options.extended = !["0", "false", "no"].contains(flag.lowercased()) }
        if case .object(let members)? = body {
            if case .string(let name)? = members["Filename"] { options.filename = name }
            if case .bool(let flag)? = members["Extended"] { options.extended = flag }
            options.asynchronous = Jobs.isAsynchronous(body)
        }
        return options
    }

    /// The resource IDs of a `/tools/create-*` body, refused as Orthanc does.
    static func resourceList(_ body: JSONValue?) throws -> [String] {
        let list: JSONValue
        switch body {
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
                             name: Self.attachmentName(options.filename) ?? "\(id).zip",
                             asynchronous: options.asynchronous)
    }

    /// The ZIP of several resources of any levels, an instance reached twice stored once; `Archive.zip` unless named.
    private func zip(of ids: [String], _ kind: Kind, name: String?, asynchronous: Bool) async throws -> Response {
        var instances: [String] = []
        var seen: Set<String> = []
        for id in ids {
            guard let level = try await index.level(of: id) else { throw RESTError.unknownResource() }
            let found = level == .instance ? [id] : try await index.descendants(of: level, id, at: .instance)
            for instance in found where seen.insert(instance).inserted { instances.append(instance) }
        }
        return try await zip(instances: instances, kind, name: name ?? "Archive.zip", asynchronous: asynchronous)
    }

    /// The ZIP of `instances`, downloaded as `name`: streamed, or written to a file by a job when the body asks
    /// for `"Asynchronous": true` (`GET /jobs/{id}/archive` then downloads it).
    private func zip(instances: [String], _ kind: ArchiveContent.Kind, name: String,
                     asynchronous: Bool) async throws -> Response {
        let content = try await ArchiveContent.make(instances: instances, kind, index: index, instanceData: instanceData)
        let instanceData = self.instanceData
        guard asynchronous else {
            return Response(status: .ok, headers: [.contentType: "application/zip",
                                                   .contentDisposition: "filename=\"\(name)\""]) { body in
                try await content.write(instanceData) { try await body.write($0) }
            }
        }
        let type: String
        if case .archive = kind { type = "Archive" } else { type = "Media" }
        let id = await jobs.submitWithOutputs(type: type, content: .object(JSONObject([("Description", "REST API")]))) {
            let file = JobOutput(contentType: "application/zip", filename: "archive.zip")
            let totals: ArchiveContent.Totals
            do {
                totals = try await file.write { sink in try await content.write(instanceData, to: sink) }
            } catch {
                file.remove()
                throw error
            }
            let json = JSONValue.object(JSONObject([
                ("ArchiveSize", .string(String(totals.archiveSize))),
                ("ArchiveSizeMB", .integer(totals.archiveSize / 1_048_576)),
                ("Description", "REST API"),
                ("InstancesCount", .integer(Int64(totals.instances))),
                ("UncompressedSize", .string(String(totals.uncompressedSize))),
                ("UncompressedSizeMB", .integer(totals.uncompressedSize / 1_048_576)),
            ]))
            return Jobs.Outcome(content: json, outputs: ["archive": file])
        }
        return .json(Jobs.submitted(id))
    }

    /// A `filename` argument usable in the header: printable ASCII without quotes or backslashes.
    static func attachmentName(_ filename: String?) -> String? {
        guard let filename, !filename.isEmpty,
              filename.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        else { return nil }
        return filename
    }
}
