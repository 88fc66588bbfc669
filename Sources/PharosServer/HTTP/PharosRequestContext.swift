import Hummingbird
import Logging
import NIOCore

/// The request context of every Pharos route: Hummingbird's core context plus the client's address and user.
public struct PharosRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The authenticated user name, when basic authentication is on.
    public var username: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Request bodies are limited by the server's configuration, not by Hummingbird's default of 2 MiB.
    public var maxUploadSize: Int { Int.max }
}
