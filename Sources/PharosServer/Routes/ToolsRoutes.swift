import DICOM
import PharosIndex

/// `/tools/lookup` and `/tools/find`.
struct ToolsRoutes {
    let index: any Index
    let finder: Finder
    let instanceData: InstanceData
    let configuration: ServerConfiguration

    func register(on routes: RouteTable) {
        routes.post("/tools/lookup") { request, _ in
            let body = try await request.collectBody(limit: 1 << 16)
            let value = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let found = try await index.lookup(identifier: value)
            return .json(.array(found.sorted { $0.level < $1.level }.map { ResourcePresenter.reference($0.level, $0.publicID) }))
        }
        routes.post("/tools/find") { request, _ in
            let body = try await request.jsonBody(limit: configuration.maximumRequestSize)
            let find = try finder.parse(body)
            let ids = try await finder.run(find)
            guard find.expand else { return .json(.array(ids.map { .string($0) })) }
            return .json(serialized: try await ResourcePresenter(index: index).expandedJSON(
                find.query.level, ids, format: find.format, requestedTags: find.requestedTags, instanceData: instanceData))
        }
    }
}
