import DICOM
import Foundation
import PharosIndex

/// Query/retrieve towards the modalities: `/modalities/{name}/query|find*|move|get` and the `/queries` archive.
struct QueryRoutes {
    let registry: ModalityRegistry
    let qr: QueryRetrieveSCU
    let archive: QueryRetrieveArchive
    let jobs: Jobs
    let configuration: ServerConfiguration

    private static let bodyLimit = 1 << 20

    func register(on routes: RouteTable) {
        routes.post("/modalities/{name}/query") { request, context in
            let (name, modality) = try await modality(context)
            let body = try await request.jsonBody(limit: Self.bodyLimit)
            guard body.objectValue != nil else { throw RESTError(.badRequest, "The body must be a JSON object") }
            guard let levelName = body["Level"]?.stringValue, let level = ResourceLevel(name: levelName) else {
                throw RESTError(.badRequest, "Field \"Level\" is missing or is not Patient, Study, Series or Instance")
            }
            let members = try Self.object(body["Query"] ?? .object(JSONObject()), "Query")
            let normalize = try Finder.bool(body, "Normalize") ?? true
            let localAet = body["LocalAet"]?.stringValue
            let timeout = try Finder.int(body, "Timeout").map { Int($0) }
            let identifier = try QueryRetrieveSCU.findIdentifier(members, level: level, normalize: normalize)
            let shown = try QueryRetrieveSCU.shownQuery(members, level: level, normalize: normalize)
            let id = try await runQuery(identifier, shown: shown, level: level, name: name, modality: modality,
                                        localAet: localAet, timeout: timeout)
            return .json(["ID": .string(id), "Path": .string("/queries/\(id)")])
        }
        for level in ResourceLevel.allCases {
            routes.post("/modalities/{name}/find-\(level.name.lowercased())") { request, context in
                let (_, modality) = try await modality(context)
                let body = try await request.jsonBody(limit: Self.bodyLimit)
                let query = try Self.object(body, "The body")
                try Self.checkLegacyKeys(query, level: level)
                let answers = try await legacyFind(query, level: level, modality: modality)
                return .json(.array(answers.map { $0.orthancJSON(format: .simplified) }))
            }
        }
        routes.post("/modalities/{name}/find") { request, context in
            let (_, modality) = try await modality(context)
            let body = try await request.jsonBody(limit: Self.bodyLimit)
            return .json(try await hierarchicalFind(try Self.object(body, "The body"), modality: modality))
        }
        routes.post("/modalities/{name}/move") { request, context in
            let (_, modality) = try await modality(context)
            let body = try await request.jsonBody(limit: Self.bodyLimit)
            let (level, identifiers) = try Self.resources(body)
            let localAet = body["LocalAet"]?.stringValue
            let target = body["TargetAet"]?.stringValue ?? localAet ?? modality.localAet ?? configuration.dicomAet
            let timeout = try Finder.int(body, "Timeout").map { Int($0) }
            let qr = self.qr
            let move: @Sendable () async throws -> JSONValue = {
                try await qr.move(identifiers, level: level, from: modality, to: target, localAet: localAet,
                                  timeout: timeout).json()
            }
            if Jobs.isAsynchronous(body) { return .json(Jobs.submitted(await submitMove(body, move))) }
            _ = try await move()
            // Orthanc 1.10.1 answers an empty object to a synchronous /move.
            return .json(.object(JSONObject()))
        }
        routes.post("/modalities/{name}/get") { request, context in
            let (_, modality) = try await modality(context)
            let body = try await request.jsonBody(limit: Self.bodyLimit)
            let (level, identifiers) = try Self.resources(body)
            let report = try await qr.get(identifiers, level: level, from: modality,
                                          localAet: body["LocalAet"]?.stringValue,
                                          timeout: try Finder.int(body, "Timeout").map { Int($0) })
            return .json(report.json())
        }

        routes.get("/queries") { _, _ in .json(.array(await archive.ids().map { .string($0) })) }
        routes.get("/queries/{id}") { _, context in
            _ = try await query(context)
            return .json(["answers", "level", "modality", "query", "retrieve"])
        }
        routes.delete("/queries/{id}") { _, context in
            let id = try await query(context).id
            _ = await archive.remove(id)
            return .text("", contentType: "text/plain")
        }
        routes.get("/queries/{id}/level") { _, context in .text(try await query(context).level.name) }
        routes.get("/queries/{id}/modality") { _, context in .text(try await query(context).modalityName) }
        routes.get("/queries/{id}/query") { request, context in
            .json(try await query(context).query.orthancJSON(format: Self.format(request)))
        }
        routes.get("/queries/{id}/answers") { request, context in
            let q = try await query(context)
            if request.flag("expand") {
                let format = Self.format(request)
                return .json(.array(q.answers.map { $0.orthancJSON(format: format) }))
            }
            return .json(.array(q.answers.indices.map { .string(String($0)) }))
        }
        routes.get("/queries/{id}/answers/{n}") { _, context in
            let q = try await query(context)
            _ = try answer(q, context)
            var operations: [JSONValue] = ["content", "retrieve"]
            for child in ResourceLevel.allCases where child > q.level {
                operations.append(.string("query-\(child.collection)"))
            }
            return .json(.array(operations))
        }
        routes.get("/queries/{id}/answers/{n}/content") { request, context in
            let q = try await query(context)
            return .json(try answer(q, context).orthancJSON(format: Self.format(request)))
        }
        routes.post("/queries/{id}/answers/{n}/retrieve") { request, context in
            let q = try await query(context)
            let one = try answer(q, context)
            return try await retrieve(q, answers: [one], request: request)
        }
        routes.post("/queries/{id}/retrieve") { request, context in
            let q = try await query(context)
            return try await retrieve(q, answers: q.answers, request: request)
        }
        for child in [ResourceLevel.study, .series, .instance] {
            routes.post("/queries/{id}/answers/{n}/query-\(child.collection)") { request, context in
                let q = try await query(context)
                let parent = try answer(q, context)
                guard child > q.level else {
                    throw RESTError(.badRequest, "A \(q.level.name) answer has no child \(child.collection) to query")
                }
                let body = try await request.jsonBody(limit: Self.bodyLimit)
                var members = try Self.object(body["Query"] ?? .object(JSONObject()), "Query")
                // The child query is restricted to the answer's own unique keys (and those above it).
                for tag in QueryRetrieveSCU.retrieveTags(q.level) + [.patientID] {
                    if let value = parent.string(tag), !value.isEmpty { members[tag.hex(separator: ",")] = .string(value) }
                }
                let identifier = try QueryRetrieveSCU.findIdentifier(members, level: child, normalize: true)
                let shown = try QueryRetrieveSCU.shownQuery(members, level: child, normalize: true)
                let id = try await runQuery(identifier, shown: shown, level: child, name: q.modalityName, modality: q.modality,
                                            localAet: q.localAet, timeout: try Finder.int(body, "Timeout").map { Int($0) })
                return .json(["ID": .string(id), "Path": .string("/queries/\(id)")])
            }
        }
    }

    // MARK: helpers

    private func runQuery(_ identifier: DataSet, shown: DataSet, level: ResourceLevel, name: String, modality: DicomModality,
                          localAet: String?, timeout: Int?) async throws -> String {
        let answers = try await qr.find(identifier, level: level, at: modality, localAet: localAet, timeout: timeout)
        let id = UUID().uuidString.lowercased()
        await archive.add(RemoteQuery(id: id, modalityName: name, modality: modality, level: level, query: shown,
                                      answers: answers, localAet: localAet, timeout: timeout))
        return id
    }

    /// C-MOVE of stored answers. The body is the target AE title as text, or `{"TargetAet", "Synchronous", …}`;
    /// without a target, the instances come to this server. `"Asynchronous": true` (or `"Synchronous": false`)
    /// runs it as a job whose content is the report.
    private func retrieve(_ q: RemoteQuery, answers: [DataSet], request: Request) async throws -> Response {
        let body = try await request.collectBody(limit: Self.bodyLimit)
        var target: String?
        var timeout = q.timeout
        var format = OrthancJSONOptions.Format.short
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try? JSONValue.parse(body)
        if let json = parsed, json.objectValue != nil || json.stringValue != nil {
            if let s = json.stringValue {
                target = s
            } else {
                target = json["TargetAet"]?.stringValue
                timeout = try Finder.int(json, "Timeout").map { Int($0) } ?? timeout
                if try Finder.bool(json, "Simplify") == true { format = .simplified }
                if try Finder.bool(json, "Full") == true { format = .full }
            }
        } else if !text.isEmpty {
            target = text
        }
        let localAet = q.localAet ?? q.modality.localAet ?? configuration.dicomAet
        let identifiers = try answers.map { answer in
            guard let id = QueryRetrieveSCU.retrieveIdentifier(of: answer, level: q.level) else {
                throw RESTError(.badRequest, "The answer lacks the unique keys needed to retrieve it at \(q.level.name) level")
            }
            return id
        }
        let qr = self.qr, chosenFormat = format, chosenTimeout = timeout
        let destination = (target?.isEmpty ?? true) ? localAet : target ?? localAet
        let move: @Sendable () async throws -> JSONValue = {
            try await qr.move(identifiers, level: q.level, from: q.modality, to: destination, localAet: q.localAet,
                              timeout: chosenTimeout).json(chosenFormat)
        }
        if Jobs.isAsynchronous(parsed) { return .json(Jobs.submitted(await submitMove(parsed, move))) }
        return .json(try await move())
    }

    /// A C-MOVE run as a job ("DicomMoveScu"), at the body's `Priority`.
    private func submitMove(_ body: JSONValue?, _ move: @escaping @Sendable () async throws -> JSONValue) async -> String {
        await jobs.submit(type: "DicomMoveScu", priority: body?["Priority"]?.integerValue.map { Int($0) } ?? 0,
                          content: .object(JSONObject([("Description", "REST API")])), work: move)
    }

    /// `/find-patient` … `/find-instance`: the body's keys merged over the level's main tags, asked empty so the
    /// answers carry them; answers are simplified.
    private func legacyFind(_ query: JSONObject, level: ResourceLevel, modality: DicomModality) async throws -> [DataSet] {
        var members = query
        var templateTags = MainDicomTags.tags(level)
        if level != .patient { templateTags.append(.patientID) }
        if level >= .series { templateTags.append(.studyInstanceUID) }
        if level == .instance { templateTags.append(.seriesInstanceUID) }
        for tag in templateTags where Self.member(members, tag) == nil {
            members[tag.hex(separator: ",")] = ""
        }
        let identifier = try QueryRetrieveSCU.findIdentifier(members, level: level, normalize: true)
        return try await qr.find(identifier, level: level, at: modality)
    }

    /// `/find`: patients matching the body, each with its "Studies", each study with its "Series".
    private func hierarchicalFind(_ query: JSONObject, modality: DicomModality) async throws -> JSONValue {
        var out: [JSONValue] = []
        for patient in try await legacyFind(query, level: .patient, modality: modality) {
            guard case .object(var p) = patient.orthancJSON(format: .simplified) else { continue }
            var studies: [JSONValue] = []
            let patientID = patient.string(.patientID) ?? ""
            for study in try await legacyFind(JSONObject([("PatientID", .string(patientID))]), level: .study,
                                              modality: modality) {
                guard case .object(var s) = study.orthancJSON(format: .simplified) else { continue }
                let studyUID = study.string(.studyInstanceUID) ?? ""
                let series = try await legacyFind(JSONObject([("PatientID", .string(patientID)),
                                                              ("StudyInstanceUID", .string(studyUID))]),
                                                  level: .series, modality: modality)
                s["Series"] = .array(series.map { $0.orthancJSON(format: .simplified) })
                studies.append(.object(s))
            }
            p["Studies"] = .array(studies)
            out.append(.object(p))
        }
        return .array(out)
    }

    /// Orthanc's legacy routes refuse a query that does not name its parents: a patient ID or accession number
    /// (more than two characters) below the patient level, and the parents' UIDs below the study level.
    static func checkLegacyKeys(_ query: JSONObject, level: ResourceLevel) throws {
        func long(_ tag: Tag) -> Bool { (member(query, tag)?.stringValue?.count ?? 0) > 2 }
        guard level > .patient else { return }
        guard long(.patientID) || long(Tag(0x0008, 0x0050)) else {
            throw RESTError(.badRequest, "A \(level.name) query must give a PatientID or an AccessionNumber")
        }
        if level >= .series, !long(.studyInstanceUID) {
            throw RESTError(.badRequest, "A \(level.name) query must give the StudyInstanceUID")
        }
        if level == .instance, !long(.seriesInstanceUID) {
            throw RESTError(.badRequest, "An instance query must give the SeriesInstanceUID")
        }
    }

    private static func member(_ object: JSONObject, _ tag: Tag) -> JSONValue? {
        object.first { Finder.tag(named: $0.key) == tag }?.value
    }

    /// `{"Level": …, "Resources": [{…}, …]}` of `/move` and `/get`: one identifier per resource.
    static func resources(_ body: JSONValue) throws -> (ResourceLevel, [DataSet]) {
        guard let levelName = body["Level"]?.stringValue, let level = ResourceLevel(name: levelName) else {
            throw RESTError(.badRequest, "Field \"Level\" is missing or is not Patient, Study, Series or Instance")
        }
        guard let resources = body["Resources"]?.arrayValue else {
            throw RESTError(.badRequest, "Field \"Resources\" is missing or is not a list of JSON objects")
        }
        guard resources.count <= 10_000 else { throw RESTError(.badRequest, "Too many resources in one request") }
        let identifiers = try resources.map { resource in
            let members = try object(resource, "Each resource")
            return try QueryRetrieveSCU.findIdentifier(members, level: level, normalize: false)
        }
        // Empty identifier keys added for C-FIND would make a C-MOVE match nothing on strict peers: drop them.
        return (level, identifiers.map { identifier in
            DataSet(identifier.filter { element in
                if case .bytes(let bytes) = element.value, bytes.isEmpty { return false }
                return true
            })
        })
    }

    static func object(_ value: JSONValue, _ what: String) throws -> JSONObject {
        guard let object = value.objectValue else { throw RESTError(.badRequest, "\(what) must be a JSON object") }
        return object
    }

    /// Orthanc's answer formats: full by default, `?short`, `?simplify`.
    static func format(_ request: Request) -> OrthancJSONOptions.Format {
        if request.flag("simplify") { return .simplified }
        if request.flag("short") { return .short }
        return .full
    }

    private func modality(_ context: PharosRequestContext) async throws -> (String, DicomModality) {
        guard let name = context.parameters.get("name") else { throw RESTError(.inexistentItem, "No modality name") }
        guard let modality = await registry.modality(named: name) else {
            throw RESTError(.inexistentItem, "No modality named \(name) in DicomModalities")
        }
        return (name, modality)
    }

    private func query(_ context: PharosRequestContext) async throws -> RemoteQuery {
        let id = context.parameters.get("id") ?? ""
        guard let q = await archive.query(id) else { throw RESTError(.unknownResource, "No query with ID \(id)") }
        return q
    }

    private func answer(_ q: RemoteQuery, _ context: PharosRequestContext) throws -> DataSet {
        guard let text = context.parameters.get("n"), let n = Int(text), q.answers.indices.contains(n) else {
            throw RESTError(.parameterOutOfRange, "Query \(q.id) has \(q.answers.count) answers")
        }
        return q.answers[n]
    }
}
