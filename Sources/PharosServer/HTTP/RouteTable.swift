/// The routes: path patterns per method, matched segment by segment. A literal segment wins over `{name}`, which
/// wins over `**` (the rest of the path), trying the next candidate when a branch fails deeper down. It also
/// tells which methods a path has, so that a known path called with another one is answered 405 with `Allow`.
public final class RouteTable: @unchecked Sendable {
    // Mutated only while routes are registered at start-up, read-only afterwards.
    public typealias Handler = @Sendable (Request, PharosRequestContext) async throws -> Response

    private final class Node {
        var literals: [Substring: Node] = [:]
        var parameter: (name: String, node: Node)?
        var handlers: [HTTPMethod: Handler] = [:]
        var catchAll: [HTTPMethod: Handler] = [:]
    }

    private let root = Node()

    /// Registers `handler` for `method` on `path` (`/instances/{id}`, `**` last for the rest of the path).
    public func on(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        var node = root
        for segment in path.split(separator: "/") {
            if segment == "**" {
                node.catchAll[method] = handler
                return
            }
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if node.parameter == nil { node.parameter = (name, Node()) }
                precondition(node.parameter?.name == name, "route \(path) renames parameter \(node.parameter?.name ?? "")")
                node = node.parameter?.node ?? node
            } else {
                let next = node.literals[segment] ?? Node()
                node.literals[segment] = next
                node = next
            }
        }
        node.handlers[method] = handler
    }

    public func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    public func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    public func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    public func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    /// The literal names one level below the literal path `path` (`/tools` → `find`, `lookup`…), sorted.
    func names(under path: String) -> [String] {
        var node = root
        for segment in path.split(separator: "/") {
            guard let next = node.literals[segment] else { return [] }
            node = next
        }
        return node.literals.keys.map(String.init).sorted()
    }

    /// The handler of `method` for `path` with the parameters it binds, or nil.
    func match(_ method: HTTPMethod, _ path: String) -> (Handler, RouteParameters)? {
        var parameters = RouteParameters()
        guard let handler = Self.search(root, Array(path.split(separator: "/"))[...], method, &parameters) else {
            return nil
        }
        return (handler, parameters)
    }

    /// Methods registered for a concrete request path.
    func allowedMethods(for path: String) -> [HTTPMethod] {
        var methods: Set<HTTPMethod> = []
        Self.collect(root, Array(path.split(separator: "/"))[...], into: &methods)
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private static func search(_ node: Node, _ rest: ArraySlice<Substring>, _ method: HTTPMethod,
                               _ parameters: inout RouteParameters) -> Handler? {
        guard let segment = rest.first else {
            if let handler = node.handlers[method] { return handler }
            if let handler = node.catchAll[method] { parameters.catchAll = []; return handler }
            return nil
        }
        let tail = rest.dropFirst()
        if let next = node.literals[segment], let handler = search(next, tail, method, &parameters) { return handler }
        if let (name, next) = node.parameter {
            let saved = parameters
            parameters.values[name] = URI.percentDecoded(segment)
            if let handler = search(next, tail, method, &parameters) { return handler }
            parameters = saved
        }
        if let handler = node.catchAll[method] {
            parameters.catchAll = Array(rest)
            return handler
        }
        return nil
    }

    private static func collect(_ node: Node, _ rest: ArraySlice<Substring>, into methods: inout Set<HTTPMethod>) {
        methods.formUnion(node.catchAll.keys)
        guard let segment = rest.first else {
            methods.formUnion(node.handlers.keys)
            return
        }
        if let next = node.literals[segment] { collect(next, rest.dropFirst(), into: &methods) }
        if let (_, next) = node.parameter { collect(next, rest.dropFirst(), into: &methods) }
    }
}
