import DICOM
import PharosIndex

/// The routes every level shares: lists, details, children and parents, deletion, statistics, metadata,
/// attachments, shared tags and the patients' protection flag.
struct ResourceRoutes {
    let index: any Index
    let deletion: Deletion
    let instanceData: InstanceData
    let configuration: ServerConfiguration

    var presenter: ResourcePresenter { ResourcePresenter(index: index) }

    func register(on routes: RouteTable) {
        // Several resources of any levels deleted at once; IDs no longer (or never) stored are skipped.
        routes.post("/tools/bulk-delete") { request, _ in
            let body = try await request.jsonBody(limit: configuration.maximumRequestSize)
            guard case .object(let members) = body else {
                throw RESTError.badRequest("The body must contain a JSON object")
            }
            guard case .array(let items)? = members["Resources"] else {
                throw RESTError.badRequest("The body must contain a \"Resources\" list of IDs")
            }
            let ids = try items.map { item throws -> String in
                guard case .string(let id) = item else { throw RESTError.badRequest("\"Resources\" must list IDs") }
                return id
            }
            for id in ids {
                guard let level = try await index.level(of: id) else { continue }
                _ = try await deletion.delete(level, id)
            }
            return .text("", contentType: "text/plain")
        }
        for level in ResourceLevel.allCases {
            let c = "/" + level.collection
            routes.get(c) { request, _ in try await list(level, request) }
            routes.get(c + "/{id}") { request, context in
                let record = try await presenter.record(level, try request.id(context))
                return .json(try await presenter.json(record, format: TagFormat(request),
                                                      requestedTags: try requestedTags(request),
                                                      instanceData: instanceData))
            }
            routes.delete(c + "/{id}") { request, context in try await delete(level, try request.id(context)) }
            routes.get(c + "/{id}/statistics") { request, context in
                try await statistics(level, try request.id(context))
            }
            routes.get(c + "/{id}/metadata") { request, context in try await metadata(level, request, context) }
            routes.get(c + "/{id}/metadata/{name}") { request, context in
                let (kind, values) = try await metadataEntry(level, request, context)
                guard let value = values[kind] else { throw RESTError(.inexistentItem, "No such metadata") }
                return .text(value)
            }
            routes.put(c + "/{id}/metadata/{name}") { request, context in
                let (kind, _) = try await metadataEntry(level, request, context)
                let value = String(decoding: try await request.collectBody(limit: configuration.maximumRequestSize),
                                   as: UTF8.self)
                _ = try await index.setMetadata(level, try request.id(context), kind, value)
                try await index.logChange(.updatedMetadata, level, try request.id(context))
                return .text("")
            }
            routes.delete(c + "/{id}/metadata/{name}") { request, context in
                let (kind, values) = try await metadataEntry(level, request, context)
                guard values[kind] != nil else { throw RESTError(.inexistentItem, "No such metadata") }
                _ = try await index.setMetadata(level, try request.id(context), kind, nil)
                try await index.logChange(.updatedMetadata, level, try request.id(context))
                return .text("")
            }
            routes.get(c + "/{id}/attachments") { request, context in
                let id = try request.id(context)
                _ = try await presenter.record(level, id)
                let attachments = try await index.attachments(level, id)
                if request.flag("full") {
                    var o = JSONObject()
                    for a in attachments { o[a.kind.name] = .integer(Int64(a.kind.rawValue)) }
                    return .json(.object(o))
                }
                return .json(.array(attachments.map { .string($0.kind.name) }))
            }
            // Parents: every ancestor level.
            var ancestor = level.parent
            while let target = ancestor {
                routes.get(c + "/{id}/" + (target == .series ? "series" : target.name.lowercased())) { request, context in
                    var record = try await presenter.record(level, try request.id(context))
                    while record.level > target, let parent = record.parentID, let up = record.level.parent {
                        record = try await presenter.record(up, parent)
                    }
                    return .json(try await presenter.json(record, format: TagFormat(request),
                                                          requestedTags: try requestedTags(request),
                                                          instanceData: instanceData))
                }
                ancestor = target.parent
            }
            // Children: every descendant level, expanded unless ?expand=false.
            var descendant = level.child
            while let target = descendant {
                routes.get(c + "/{id}/" + target.collection) { request, context in
                    let id = try request.id(context)
                    _ = try await presenter.record(level, id)
                    let ids = try await index.descendants(of: level, id, at: target)
                    if let e = request.uri.queryParameters.get("expand"), ["false", "0"].contains(e.lowercased()) {
                        return .json(.array(ids.map { .string($0) }))
                    }
                    return .json(serialized: try await presenter.expandedJSON(
                        target, ids, format: TagFormat(request), requestedTags: try requestedTags(request),
                        instanceData: instanceData))
                }
                descendant = target.child
            }
            if level != .instance {
                routes.get(c + "/{id}/shared-tags") { request, context in try await sharedTags(level, request, context) }
            }
        }
        routes.get("/patients/{id}/protected") { request, context in
            let record = try await presenter.record(.patient, try request.id(context))
            return .text(record.isProtected ? "1" : "0")
        }
        routes.put("/patients/{id}/protected") { request, context in
            let id = try request.id(context)
            _ = try await presenter.record(.patient, id)
            let body = String(decoding: try await request.collectBody(limit: 64), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard body == "0" || body == "1" else {
                throw RESTError(.parameterOutOfRange, "The body must be 0 or 1")
            }
            _ = try await index.setProtected(id, body == "1")
            return .text("")
        }
        routes.get("/statistics") { _, _ in
            let s = try await index.statistics()
            return .json([
                "CountPatients": .integer(Int64(s.patients)), "CountStudies": .integer(Int64(s.studies)),
                "CountSeries": .integer(Int64(s.series)), "CountInstances": .integer(Int64(s.instances)),
                "TotalDiskSize": .string(String(s.diskSize)),
                "TotalUncompressedSize": .string(String(s.uncompressedSize)),
                "TotalDiskSizeMB": .integer(s.diskSize / 1_048_576),
                "TotalUncompressedSizeMB": .integer(s.uncompressedSize / 1_048_576),
            ])
        }
    }

    private func requestedTags(_ request: Request) throws -> [Tag] {
        guard let text = request.uri.queryParameters.get("requested-tags")
            ?? request.uri.queryParameters.get("requestedTags"), !text.isEmpty else { return [] }
        return try text.split(separator: ";").map { name in
            guard let tag = Finder.tag(named: String(name)) else {
                throw RESTError(.badRequest, "Unknown DICOM tag in requested-tags: \(name)")
            }
            return tag
        }
    }

    private func list(_ level: ResourceLevel, _ request: Request) async throws -> Response {
        let since = try request.integer("since") ?? 0
        let limit = try request.integer("limit")
        let ids = try await index.list(level, since: since, limit: limit == 0 ? nil : limit)
        guard request.flag("expand") else { return .json(.array(ids.map { .string($0) })) }
        return .json(serialized: try await presenter.expandedJSON(level, ids, format: TagFormat(request),
                                                                  requestedTags: try requestedTags(request),
                                                                  instanceData: instanceData))
    }

    private func delete(_ level: ResourceLevel, _ id: String) async throws -> Response {
        guard let outcome = try await deletion.delete(level, id) else { throw RESTError.unknownResource() }
        let ancestor: JSONValue = outcome.remainingAncestor.map { ResourcePresenter.reference($0.level, $0.publicID) } ?? .null
        return .json(["RemainingAncestor": ancestor])
    }

    private func statistics(_ level: ResourceLevel, _ id: String) async throws -> Response {
        guard let s = try await index.statistics(level, id) else { throw RESTError.unknownResource() }
        var o = JSONObject([
            ("DiskSize", .string(String(s.diskSize))), ("DiskSizeMB", .integer(s.diskSize / 1_048_576)),
            ("UncompressedSize", .string(String(s.uncompressedSize))),
            ("UncompressedSizeMB", .integer(s.uncompressedSize / 1_048_576)),
            ("DicomDiskSize", .string(String(s.dicomDiskSize))), ("DicomDiskSizeMB", .integer(s.dicomDiskSize / 1_048_576)),
            ("DicomUncompressedSize", .string(String(s.dicomUncompressedSize))),
            ("DicomUncompressedSizeMB", .integer(s.dicomUncompressedSize / 1_048_576)),
        ])
        if level == .patient { o["CountStudies"] = .integer(Int64(s.studies)) }
        if level <= .study { o["CountSeries"] = .integer(Int64(s.series)) }
        if level <= .series { o["CountInstances"] = .integer(Int64(s.instances)) }
        return .json(.object(o))
    }

    private func metadata(_ level: ResourceLevel, _ request: Request, _ context: PharosRequestContext) async throws -> Response {
        let id = try request.id(context)
        _ = try await presenter.record(level, id)
        let values = try await index.metadata(level, id)
        let numeric = request.flag("numeric")
        let sorted = values.sorted { $0.key.rawValue < $1.key.rawValue }
        func key(_ k: MetadataKind) -> String { numeric ? String(k.rawValue) : k.name }
        if request.flag("expand") {
            var o = JSONObject()
            for (k, v) in sorted { o[key(k)] = .string(v) }
            return .json(.object(o))
        }
        return .json(.array(sorted.map { .string(key($0.key)) }))
    }

    private func metadataEntry(_ level: ResourceLevel, _ request: Request,
                               _ context: PharosRequestContext) async throws -> (MetadataKind, [MetadataKind: String]) {
        let id = try request.id(context)
        _ = try await presenter.record(level, id)
        guard let name = context.parameters.get("name"), let kind = MetadataKind(name: name) else {
            throw RESTError(.parameterOutOfRange, "Unknown metadata name")
        }
        return (kind, try await index.metadata(level, id))
    }

    /// The top-level elements every instance of the resource has with the same value.
    private func sharedTags(_ level: ResourceLevel, _ request: Request,
                            _ context: PharosRequestContext) async throws -> Response {
        let id = try request.id(context)
        _ = try await presenter.record(level, id)
        var shared: [DataElement]?
        var implicit = false
        for instance in try await index.descendants(of: level, id, at: .instance) {
            let file = try await instanceData.file(ofInstance: instance)
            implicit = implicit || !file.transferSyntax.isExplicitVR
            let elements = file.dataSet.elements.filter { $0.tag < .pixelData }
            guard let current = shared else { shared = elements; continue }
            let byTag = Dictionary(elements.map { ($0.tag, $0) }, uniquingKeysWith: { a, _ in a })
            shared = current.filter { byTag[$0.tag] == $0 }
        }
        var options = ContentRoutes.options(request, configuration: configuration, defaultFormat: .full)
        options.readWithImplicitVR = implicit
        return .json(DataSet(shared ?? []).orthancJSON(options))
    }
}
