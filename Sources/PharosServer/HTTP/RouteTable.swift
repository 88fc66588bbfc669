import Hummingbird

/// Registers routes on the router and remembers every (method, path pattern), so that a known path called with
/// another method can be answered 405 with `Allow`, as Orthanc does.
public final class RouteTable: @unchecked Sendable {
    // Mutated only while routes are registered at start-up, read-only afterwards.
    private var patterns: [(method: HTTPRequest.Method, segments: [Substring])] = []
    let router: Router<PharosRequestContext>

    init(router: Router<PharosRequestContext>) { self.router = router }

    public typealias Handler = @Sendable (Request, PharosRequestContext) async throws -> Response

    /// Registers `handler` for `method` on `path` (Hummingbird syntax: `/instances/{id}`, `**` for the rest).
    public func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        patterns.append((method, path.split(separator: "/")))
        router.on(RouterPath(path), method: method, use: handler)
    }

    public func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    public func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    public func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    public func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    /// Methods registered for a concrete request path.
    func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let request = path.split(separator: "/")
        var methods: [HTTPRequest.Method] = []
        for (method, segments) in patterns where Self.matches(segments, request) && !methods.contains(method) {
            methods.append(method)
        }
        return methods
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var i = 0
        for (k, p) in pattern.enumerated() {
            if p == "**" { return path.count >= k }
            guard i < path.count else { return false }
            if !(p.hasPrefix("{") && p.hasSuffix("}")) && p != "*" && p != path[i] { return false }
            i += 1
        }
        return i == path.count
    }
}
