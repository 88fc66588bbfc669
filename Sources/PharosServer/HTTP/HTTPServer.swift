import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP/1.1 server of the REST API on SwiftNIO: keep-alive and pipelining (answers in request order),
/// `Expect: 100-continue` answered at once, each body received whole up to a limit before its route runs.
final class HTTPServer: Sendable {
    struct Settings: Sendable {
        var host: String
        var port: Int
        /// A larger body is refused with 413 as soon as its length is known, and the connection closed.
        var maximumBodySize: Int
        /// `KeepAlive`: false closes each connection after its answer.
        var keepAlive: Bool
        /// An idle connection is closed after this long.
        var idleTimeout: TimeAmount
        var serverName: String
    }

    private let channel: any Channel
    private let connections: Connections
    /// The port bound (the one asked for, or the one the system chose for port 0).
    let port: Int

    private init(channel: any Channel, connections: Connections) {
        self.channel = channel
        self.connections = connections
        port = channel.localAddress?.port ?? 0
    }

    /// Binds and starts serving; answers once the socket listens.
    static func start(_ settings: Settings, responder: RESTResponder, logger: Logger) async throws -> HTTPServer {
        let connections = Connections()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try sync.addHandler(IdleStateHandler(allTimeout: settings.idleTimeout))
                    try sync.addHandler(HTTPRequestHandler(settings: settings, responder: responder, logger: logger,
                                                           connections: connections))
                }
            }
            .bind(host: settings.host, port: settings.port).get()
        return HTTPServer(channel: channel, connections: connections)
    }

    /// Stops accepting connections, lets the requests being handled finish (up to `grace`), then closes every
    /// connection.
    func shutdown(grace: TimeAmount = .seconds(30)) async {
        try? await channel.close()
        let deadline = NIODeadline.now() + grace
        while connections.busy > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        for connection in connections.all { try? await connection.close() }
    }
}

/// The open connections and how many requests are being handled, for shutdown.
final class Connections: Sendable {
    private let state = NIOLockedValueBox((open: [ObjectIdentifier: any Channel](), busy: 0))

    func opened(_ channel: any Channel) { state.withLockedValue { $0.open[ObjectIdentifier(channel)] = channel } }
    func closed(_ channel: any Channel) { state.withLockedValue { $0.open[ObjectIdentifier(channel)] = nil } }
    func began() { state.withLockedValue { $0.busy += 1 } }
    func ended() { state.withLockedValue { $0.busy -= 1 } }
    var busy: Int { state.withLockedValue { $0.busy } }
    var all: [any Channel] { state.withLockedValue { Array($0.open.values) } }
}

/// One connection: gathers a request's head and body, hands the request to the responder and writes its answer.
/// NIO's pipelining handler holds the next request back until this answer has been written.
final class HTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let settings: HTTPServer.Settings
    private let responder: RESTResponder
    private let logger: Logger
    private let connections: Connections
    private var head: HTTPRequestHead?
    // Kept apart from `head` so that appending never copies what came before.
    private var body: [UInt8] = []
    /// A request is being handled; the connection is not idle.
    private var responding = false
    /// The rest of a refused request is dropped until the connection closes.
    private var refused = false

    init(settings: HTTPServer.Settings, responder: RESTResponder, logger: Logger, connections: Connections) {
        self.settings = settings
        self.responder = responder
        self.logger = logger
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        connections.opened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            let length = head.headers.first(name: "content-length").flatMap { Int($0) }
            if let length, length > settings.maximumBodySize {
                refuseTooLarge(head, context: context)
                return
            }
            // Clients such as curl otherwise wait a second before sending a large body.
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                                      promise: nil)
            }
            self.head = head
            body = []
            // The declared length is the client's word: reserve at most 64 MiB up front, grow past it as bytes come.
            if let length, length > 0 { body.reserveCapacity(min(length, 64 << 20)) }
        case .body(let buffer):
            guard let head else { return }
            if body.count + buffer.readableBytes > settings.maximumBodySize {
                refuseTooLarge(head, context: context)
                return
            }
            buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = Request(method: HTTPMethod(rawValue: head.method.rawValue), uri: URI(head.uri),
                                  headers: HTTPFields(head.headers), body: body)
            body = []
            handle(request, version: head.version, keepAlive: settings.keepAlive && head.isKeepAlive, context: context)
        }
    }

    private func handle(_ request: Request, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        responding = true
        connections.began()
        let responder = self.responder
        let requestContext = PharosRequestContext(remoteAddress: context.channel.remoteAddress, logger: logger)
        let promise = context.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask { await responder.respond(to: request, context: requestContext) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { response in
            let (handler, context) = bound.value
            if let stream = response.stream {
                handler.writeStreamed(response, stream, version: version, keepAlive: keepAlive, context: context)
                return
            }
            handler.write(response, version: version, keepAlive: keepAlive, context: context)
            handler.responding = false
            handler.connections.ended()
        }
    }

    /// Writes the head, then the parts `stream` produces, then the end. HTTP/1.1 answers are chunked; an HTTP/1.0
    /// client reads until the connection closes. A failure mid-way (the client gone, a file unreadable) can only
    /// cut the answer short: the connection is closed.
    private func writeStreamed(_ response: Response, _ stream: @escaping @Sendable (BodyWriter) async throws -> Void,
                               version: HTTPVersion, keepAlive requested: Bool, context: ChannelHandlerContext) {
        let keepAlive = requested && !(version.major == 1 && version.minor == 0)
        context.writeAndFlush(wrapOutboundOut(.head(head(response, version: version, keepAlive: keepAlive,
                                                         contentLength: nil))), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let writer = ChannelBodyWriter(handler: bound)
        let eventLoop = context.eventLoop
        let logger = self.logger
        Task {
            let failed: Bool
            do {
                try await stream(writer)
                failed = false
            } catch {
                failed = true
                logger.warning("A streamed answer was cut short: \(error)")
            }
            eventLoop.execute {
                let (handler, context) = bound.value
                let channel = context.channel
                if failed {
                    channel.close(promise: nil)
                } else {
                    let written = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
                    if !keepAlive { written.whenComplete { _ in channel.close(promise: nil) } }
                }
                handler.responding = false
                handler.connections.ended()
            }
        }
    }

    /// Writes the parts of a streamed body on the channel's event loop, each awaited until flushed.
    private struct ChannelBodyWriter: BodyWriter {
        let handler: NIOLoopBound<(HTTPRequestHandler, ChannelHandlerContext)>

        func write(_ bytes: [UInt8]) async throws {
            guard !bytes.isEmpty else { return }
            let handler = self.handler
            try await handler.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
                let (h, context) = handler.value
                guard context.channel.isActive else {
                    return context.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
                }
                let buffer = context.channel.allocator.buffer(bytes: bytes)
                return context.writeAndFlush(h.wrapOutboundOut(.body(.byteBuffer(buffer))))
            }.get()
        }
    }

    /// The response head: the route's fields, Content-Length (or chunked framing when the length is unknown and the
    /// connection stays open), Server, and Connection as the client's HTTP version needs it.
    private func head(_ response: Response, version: HTTPVersion, keepAlive: Bool, contentLength: Int?) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name.rawName, value: value) }
        if let contentLength {
            headers.replaceOrAdd(name: "Content-Length", value: String(contentLength))
        } else {
            headers.remove(name: "Content-Length")
            if keepAlive { headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked") }
        }
        if response.headers[.server] == nil { headers.add(name: "Server", value: settings.serverName) }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if version.major == 1 && version.minor == 0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reasonPhrase)
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }

    private func write(_ response: Response, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head(response, version: version, keepAlive: keepAlive,
                                                 contentLength: response.body.count))), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))),
                          promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// 413 in Orthanc's error form, then the connection closes (the rest of the body is not read).
    private func refuseTooLarge(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        refused = true
        self.head = nil
        body = []
        let request = Request(method: HTTPMethod(rawValue: head.method.rawValue), uri: URI(head.uri),
                              headers: HTTPFields(head.headers), body: [])
        let error = RESTError(.badRequest, "The request body is larger than MaximumRequestSize "
                              + "(\(settings.maximumBodySize) bytes)", httpStatus: 413)
        write(responder.errors.response(error, request: request), version: head.version, keepAlive: false,
              context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if !responding { context.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("HTTP connection error: \(error)")
        context.close(promise: nil)
    }
}
