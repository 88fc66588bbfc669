import DICOM
import NIOCore
import NIOPosix

/// A DICOM association requestor (SCU, PS3.7 §9.1): opens associations and runs DIMSE-C operations on them.
public struct DICOMClient: Sendable {
    /// Our AE title (calling).
    public var callingAETitle: String
    /// The peer's AE title (called).
    public var calledAETitle: String
    public var host: String
    public var port: Int
    public var connectTimeout: TimeAmount
    /// Longest wait for any answer from the peer (association, DIMSE response, release).
    public var dimseTimeout: TimeAmount
    /// The largest P-DATA-TF we receive.
    public var maximumPDULength: UInt32
    public var maximumDataSetSize: Int
    let group: any EventLoopGroup

    public init(callingAETitle: String, calledAETitle: String, host: String, port: Int,
                connectTimeout: TimeAmount = .seconds(10), dimseTimeout: TimeAmount = .seconds(30),
                maximumPDULength: UInt32 = 65536, maximumDataSetSize: Int = 1 << 31,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.dimseTimeout = dimseTimeout
        self.maximumPDULength = maximumPDULength
        self.maximumDataSetSize = maximumDataSetSize
        self.group = eventLoopGroup
    }

    /// Opens an association proposing `contexts` (IDs are assigned here), runs `body`, then releases it
    /// (or aborts it when `body` throws).
    public func withAssociation<T: Sendable>(
        proposing contexts: [(abstractSyntax: String, transferSyntaxes: [String])],
        roleSelections: [RoleSelection] = [],
        _ body: @Sendable (ClientAssociation) async throws -> T
    ) async throws -> T {
        let proposed = contexts.prefix(128).enumerated().map { index, pc in
            ProposedPresentationContext(id: UInt8(index * 2 + 1), abstractSyntax: pc.abstractSyntax,
                                        transferSyntaxes: pc.transferSyntaxes)
        }
        let request = AssociateRequest(
            calledAETitle: calledAETitle, callingAETitle: callingAETitle, presentationContexts: Array(proposed),
            userInformation: UserInformation(maximumLength: maximumPDULength,
                                             implementationClassUID: Pharos.implementationClassUID,
                                             implementationVersionName: Pharos.implementationVersionName,
                                             roleSelections: roleSelections))
        let maxIncoming = Int(max(maximumPDULength, 65536))
        let timeout = dimseTimeout
        let channel = try await connect(maxIncoming: maxIncoming, timeout: timeout)
        let remote = channel.channel.remoteAddress
        let dataLimit = maximumDataSetSize
        return try await channel.executeThenClose { inbound, outbound in
            let connection = DIMSEConnection(outbound: outbound, machine: AssociationStateMachine(),
                                             maximumDataSetSize: dataLimit)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                let inbox = RequestorInbox()
                group.addTask { await connection.readLoop(inbound) }
                group.addTask { await inbox.pump(connection) }
                defer { group.cancelAll() }
                if case .send(let pdu) = await connection.state.requestAssociationAction(request) {
                    try await connection.send(pdu)
                }
                let association: Association
                switch await inbox.answer() {
                case .associateAccept(let ac):
                    association = Association(request: request, accept: ac, remoteAddress: remote?.ipAddress,
                                              remotePort: remote?.port, isAcceptor: false)
                case .associateReject(let rj):
                    throw DICOMNetworkError(.associationRejected, "\(calledAETitle) at \(host):\(port): \(rj.explanation)")
                case .aborted(let abort):
                    throw DICOMNetworkError(.associationAborted, "\(calledAETitle) at \(host):\(port) aborted the "
                                            + "association request (source \(abort.source), reason \(abort.reason))")
                case .closed(let error):
                    throw error ?? DICOMNetworkError(.connectionClosed, "\(host):\(port) closed the connection "
                                                     + "before answering the association request")
                default:
                    throw DICOMNetworkError(.connectionClosed, "\(host):\(port) did not answer the association request")
                }
                let client = ClientAssociation(connection: connection, association: association, inbox: inbox)
                let result: T
                do {
                    result = try await body(client)
                } catch {
                    if case .abortAndClose(let abort) = await connection.state.abort() {
                        try? await connection.send(.abort(abort))
                    }
                    throw error
                }
                try await client.release()
                return result
            }
        }
    }

    /// A TCP connection to the peer with the PDU pipeline; failures to reach it are `cannotConnect` or `timeout`.
    private func connect(maxIncoming: Int, timeout: TimeAmount) async throws -> NIOAsyncChannel<PDU, [PDU]> {
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(MessageToByteHandler(PDUEncoder()))
                        try sync.addHandler(ByteToMessageHandler(PDUDecoder(maximumLength: maxIncoming)))
                        try sync.addHandler(TimeoutHandler(firstTimeout: timeout, idleTimeout: timeout))
                        return try NIOAsyncChannel<PDU, [PDU]>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw DICOMNetworkError(.timeout, "Connecting to \(calledAETitle) at \(host):\(port) timed out")
            }
            throw DICOMNetworkError(.cannotConnect, "Cannot connect to \(calledAETitle) at \(host):\(port): \(error)")
        } catch let error as NIOConnectionError {
            let cause = error.connectionErrors.first.map { "\($0.error)" } ?? error.dnsAError.map { "\($0)" } ?? "\(error)"
            throw DICOMNetworkError(.cannotConnect, "Cannot connect to \(calledAETitle) at \(host):\(port): \(cause)")
        } catch {
            // Anything else on the way to a connection (an address that does not resolve, a socket error).
            throw DICOMNetworkError(.cannotConnect, "Cannot connect to \(calledAETitle) at \(host):\(port): \(error)")
        }
    }
}

extension AssociationState {
    /// Evt1: the requestor sends its A-ASSOCIATE-RQ.
    func requestAssociationAction(_ request: AssociateRequest) -> AssociationStateMachine.Action {
        var machine = AssociationStateMachine()
        let action = machine.requestAssociation(request)
        replaceMachine(machine)
        return action
    }
}
