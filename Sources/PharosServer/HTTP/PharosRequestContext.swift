import Logging
import NIOCore

/// What a route handler gets beside the request: the client's address and user, and the route's parameters.
public struct PharosRequestContext: Sendable {
    public let remoteAddress: SocketAddress?
    /// The authenticated user name, when basic authentication is on.
    public var username: String?
    public var parameters = RouteParameters()
    public let logger: Logger

    public init(remoteAddress: SocketAddress?, logger: Logger) {
        self.remoteAddress = remoteAddress
        self.logger = logger
    }
}

/// The values a request path gave to a route's `{name}` segments and to its trailing `**`.
public struct RouteParameters: Sendable {
    var values: [String: String] = [:]
    var catchAll: [Substring] = []

    /// The percent-decoded value of `{name}`.
    public func get(_ name: String) -> String? { values[name] }
    /// The path segments matched by `**`.
    public func getCatchAll() -> [Substring] { catchAll }
}
