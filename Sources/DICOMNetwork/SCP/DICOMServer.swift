import DICOM
import Logging
import NIOCore
import NIOPosix

/// Settings of the DICOM listener (Orthanc's `DicomPort`, `DicomScpTimeout`, `MaximumPduLength`…).
public struct DICOMServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (read it from `DICOMServer.port`).
    public var port: Int
    public var policy: AcceptancePolicy
    /// Most associations served at once; more are rejected (transient, local limit exceeded).
    public var maximumAssociations: Int
    /// ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ.
    public var artimTimeout: TimeAmount
    /// How long an association may stay silent (DicomScpTimeout).
    public var idleTimeout: TimeAmount
    /// Largest data set accepted in one message.
    public var maximumDataSetSize: Int

    public init(host: String = "0.0.0.0", port: Int = 4242, policy: AcceptancePolicy,
                maximumAssociations: Int = 64, artimTimeout: TimeAmount = .seconds(30),
                idleTimeout: TimeAmount = .seconds(30), maximumDataSetSize: Int = 1 << 31) {
        self.host = host
        self.port = port
        self.policy = policy
        self.maximumAssociations = maximumAssociations
        self.artimTimeout = artimTimeout
        self.idleTimeout = idleTimeout
        self.maximumDataSetSize = maximumDataSetSize
    }
}

/// The services behind the listener; nil ones are answered "SOP class not supported" (C-ECHO is built in).
public struct ServiceHandlers: Sendable {
    public var store: (any StoreHandler)?
    public var find: (any FindHandler)?
    public var retrieve: (any RetrieveHandler)?
    /// Our AE title when opening associations for C-MOVE sub-operations.
    public var moveCallingAETitle: String?

    public init(store: (any StoreHandler)? = nil, find: (any FindHandler)? = nil,
                retrieve: (any RetrieveHandler)? = nil, moveCallingAETitle: String? = nil) {
        self.store = store
        self.find = find
        self.retrieve = retrieve
        self.moveCallingAETitle = moveCallingAETitle
    }
}

/// A DICOM association acceptor (SCP) on a TCP port: each association runs in its own task, off the event loops.
public final class DICOMServer: Sendable {
    /// The port actually bound.
    public let port: Int
    private let channel: any Channel
    private let runTask: Task<Void, Never>

    private init(port: Int, channel: any Channel, runTask: Task<Void, Never>) {
        self.port = port
        self.channel = channel
        self.runTask = runTask
    }

    /// Binds and starts serving in the background.
    public static func start(configuration: DICOMServerConfiguration, handlers: ServiceHandlers,
                             logger: Logger = Logger(label: "pharos.dicom"),
                             eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws
        -> DICOMServer {
        let maxIncoming = Int(max(configuration.policy.maximumPDULength, 65536))
        let artim = configuration.artimTimeout, idle = configuration.idleTimeout
        let server = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(QuickAckHandler())
                    try sync.addHandler(MessageToByteHandler(PDUEncoder()))
                    try sync.addHandler(ByteToMessageHandler(PDUDecoder(maximumLength: maxIncoming)))
                    try sync.addHandler(TimeoutHandler(firstTimeout: artim, idleTimeout: idle))
                    return try NIOAsyncChannel<PDU, [PDU]>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        let serverChannel = server.channel
        let dispatcher = ServiceDispatcher(handlers: handlers, logger: logger,
                                           localAETitle: configuration.policy.aeTitle)
        let task = Task {
            let limit = configuration.maximumAssociations
            await withDiscardingTaskGroup { group in
                let counter = AssociationCounter()
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            let admitted = await counter.enter(limit: limit)
                            group.addTask {
                                await AcceptorSession(channel: connection, configuration: configuration,
                                                      dispatcher: dispatcher, logger: logger)
                                    .run(overLimit: !admitted)
                                if admitted { await counter.leave() }
                            }
                        }
                    }
                } catch {
                    logger.debug("DICOM listener stopped: \(error)")
                }
            }
        }
        return DICOMServer(port: port, channel: serverChannel, runTask: task)
    }

    /// Stops listening; associations in progress are cancelled.
    public func shutdown() async {
        try? await channel.close()
        runTask.cancel()
        await runTask.value
    }
}

/// Counts associations in progress against the configured bound.
actor AssociationCounter {
    private var active = 0
    func enter(limit: Int) -> Bool {
        guard active < limit else { return false }
        active += 1
        return true
    }
    func leave() { active -= 1 }
}
