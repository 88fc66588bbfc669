import DICOM

/// `/modalities`: the DicomModalities at run time, and C-ECHO / C-STORE towards them.
struct ModalityRoutes {
    let registry: ModalityRegistry
    let scu: DICOMSCU
    let jobs: Jobs
    let configuration: ServerConfiguration

    func register(on routes: RouteTable) {
        routes.get("/modalities") { request, _ in
            let all = await registry.all()
            if request.flag("expand") {
                return .json(.object(JSONObject(all.keys.sorted().map { ($0, all[$0]?.json ?? .null) })))
            }
            return .json(.array(all.keys.sorted().map { .string($0) }))
        }
        routes.get("/modalities/{name}") { _, context in .json(try await modality(context).json) }
        routes.get("/modalities/{name}/configuration") { _, context in .json(try await modality(context).json) }
        routes.put("/modalities/{name}") { request, context in
            let name = try self.name(context)
            let body = try await request.jsonBody(limit: 1 << 20)
            await registry.set(try DicomModality(json: body), named: name)
            return .json(.object(JSONObject()))
        }
        routes.delete("/modalities/{name}") { _, context in
            guard await registry.remove(named: try name(context)) else {
                throw RESTError(.inexistentItem, "No modality named \(try name(context))")
            }
            return .json(.object(JSONObject()))
        }
        routes.post("/modalities/{name}/echo") { request, context in
            let target = try await modality(context)
            let body = try await request.collectBody(limit: 1 << 16)
            let timeout = (try? JSONValue.parse(body))?["Timeout"]?.integerValue.map { Int($0) }
            try await scu.echo(target, timeout: timeout)
            return .json(.object(JSONObject()))
        }
        // An echo to a peer given in the body, as a DicomModalities entry ([AET, host, port] or an object).
        routes.post("/tools/dicom-echo") { request, _ in
            let body = try await request.jsonBody(limit: 1 << 16)
            let target: DicomModality
            do throws(ConfigurationError) {
                target = try DicomModality(json: body)
            } catch {
                throw RESTError(.badFileFormat, "The body must describe a modality: \(error.message)")
            }
            try await scu.echo(target, timeout: body["Timeout"]?.integerValue.map { Int($0) })
            return .json(.object(JSONObject()))
        }
        routes.post("/modalities/{name}/store") { request, context in
            let target = try await modality(context)
            let body = try await request.collectBody(limit: configuration.maximumRequestSize)
            let (resources, localAet, timeout) = try Self.storeRequest(body)
            let json = try? JSONValue.parse(body)
            if Jobs.isAsynchronous(json) {
                let scu = self.scu
                // Until it answers, the job shows what it will send and to whom.
                let planned = DICOMSCU.StoreReport(localAet: localAet ?? target.localAet ?? configuration.dicomAet,
                                                   remoteAet: target.aet, parentResources: resources,
                                                   instancesCount: 0, failedInstancesCount: 0)
                let id = await jobs.submit(type: "DicomModalityStore",
                                           priority: json?["Priority"]?.integerValue.map { Int($0) } ?? 0,
                                           content: planned.json) {
                    try await scu.store(resources, to: target, localAet: localAet, timeout: timeout).json
                }
                return .json(Jobs.submitted(id))
            }
            let report = try await scu.store(resources, to: target, localAet: localAet, timeout: timeout)
            return .json(report.json)
        }
    }

    private func name(_ context: PharosRequestContext) throws -> String {
        guard let name = context.parameters.get("name") else { throw RESTError(.inexistentItem, "No modality name") }
        return name
    }

    private func modality(_ context: PharosRequestContext) async throws -> DicomModality {
        let name = try name(context)
        guard let modality = await registry.modality(named: name) else {
            throw RESTError(.inexistentItem, "No modality named \(name) in DicomModalities")
        }
        return modality
    }

    /// The body of `/store`: an ID, IDs one per line, a JSON list, or `{"Resources": […], "LocalAet", "Timeout"…}`.
    static func storeRequest(_ body: [UInt8]) throws -> (resources: [String], localAet: String?, timeout: Int?) {
        guard let json = try? JSONValue.parse(body) else {
            let ids = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !ids.isEmpty else { throw RESTError(.badRequest, "The body must name the resources to send") }
            return (ids, nil, nil)
        }
        func list(_ value: JSONValue) throws -> [String] {
            if let s = value.stringValue { return [s] }
            guard let a = value.arrayValue else {
                throw RESTError(.badRequest, "Resources must be a resource ID or a list of resource IDs")
            }
            return try a.map { v in
                guard let s = v.stringValue else { throw RESTError(.badRequest, "Each resource must be an ID string") }
                return s
            }
        }
        if json.objectValue != nil {
            guard let resources = json["Resources"] else {
                throw RESTError(.badRequest, "The body must have a \"Resources\" member")
            }
            return (try list(resources), json["LocalAet"]?.stringValue,
                    json["Timeout"]?.integerValue.map { Int($0) })
        }
        return (try list(json), nil, nil)
    }
}
