import DICOM
import Logging

/// Serves DIMSE requests on an accepted association by calling the handlers (PS3.4 Annexes A, B, C).
struct ServiceDispatcher: Sendable {
    let handlers: ServiceHandlers
    let logger: Logger
    let localAETitle: String

    static let queryRetrieveLevel = Tag(0x0008, 0x0052)
    /// Pending C-FIND responses sent per write, at most (by count or by bytes).
    static let findBatchCount = 64
    static let findBatchBytes = 256 * 1024

    func handle(_ message: DIMSEMessage, connection: DIMSEConnection, association: Association) async {
        guard let field = message.command.commandField, let id = message.command.messageID else { return }
        let responder = Responder(connection: connection, association: association, request: message, messageID: id)
        guard let context = association.contexts[message.presentationContextID] else {
            await responder.respond(status: .unableToProcess, comment: "Unknown presentation context")
            return
        }
        switch field {
        case .cEchoRQ:
            await responder.respond(status: .success)
        case .cStoreRQ:
            await store(message, context: context, association: association, responder: responder)
        case .cFindRQ:
            await find(message, context: context, association: association, responder: responder)
        case .cMoveRQ, .cGetRQ:
            await retrieve(message, context: context, association: association, responder: responder)
        default:
            await responder.respond(status: .unableToProcess, comment: "Unsupported command \(hex16(field.rawValue))")
        }
    }

    private func store(_ message: DIMSEMessage, context: PresentationContext, association: Association,
                       responder: Responder) async {
        guard let handler = handlers.store else {
            await responder.respond(status: .sopClassNotSupported)
            return
        }
        guard let data = message.dataSet else {
            await responder.respond(status: .dataSetDoesNotMatchSOPClass, comment: "C-STORE without a data set")
            return
        }
        let command = message.command
        let request = StoreRequest(association: association.info,
                                   sopClassUID: command.affectedSOPClassUID ?? context.abstractSyntax,
                                   sopInstanceUID: command.affectedSOPInstanceUID ?? "",
                                   transferSyntax: context.transferSyntax, dataSet: data,
                                   moveOriginatorAETitle: command.string(CommandTag.moveOriginatorAETitle),
                                   moveOriginatorMessageID: command.uint16(CommandTag.moveOriginatorMessageID))
        await responder.respond(status: await handler.store(request))
    }

    private func identifier(_ message: DIMSEMessage, _ context: PresentationContext) -> DataSet? {
        guard let data = message.dataSet else { return nil }
        return try? DataSet.decodeNetwork(data, transferSyntax: context.transferSyntax)
    }

    private func find(_ message: DIMSEMessage, context: PresentationContext, association: Association,
                      responder: Responder) async {
        guard let handler = handlers.find else {
            await responder.respond(status: .sopClassNotSupported)
            return
        }
        guard let identifier = identifier(message, context) else {
            await responder.respond(status: .dataSetDoesNotMatchSOPClass, comment: "Unreadable C-FIND identifier")
            return
        }
        let request = FindRequest(association: association.info,
                                  sopClassUID: message.command.affectedSOPClassUID ?? context.abstractSyntax,
                                  level: identifier.string(Self.queryRetrieveLevel) ?? "", identifier: identifier)
        guard let syntax = TransferSyntax.lookup(context.transferSyntax) else {
            await responder.respond(status: .unableToProcess)
            return
        }
        do {
            // Pending responses go out in batches, one socket write each: a write per answer cost more than the
            // answer itself. A C-CANCEL is honoured between batches.
            var batch: [DIMSEMessage] = []
            var batchBytes = 0
            for try await answer in try await handler.find(request) {
                let bytes = try answer.serialized(transferSyntax: syntax)
                batchBytes += bytes.count
                if let message = responder.message(status: .pending, dataSet: bytes) { batch.append(message) }
                guard batch.count >= Self.findBatchCount || batchBytes >= Self.findBatchBytes else { continue }
                if await responder.isCancelled() {
                    await responder.respond(status: .cancel)
                    return
                }
                await responder.send(batch)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
            let cancelled = await responder.isCancelled()
            if cancelled { batch.removeAll() }
            if let final = responder.message(status: cancelled ? .cancel : .success) { batch.append(final) }
            await responder.send(batch)
        } catch let failure as DIMSEFailure {
            await responder.respond(status: failure.status, comment: failure.comment)
        } catch {
            logger.warning("C-FIND failed: \(error)")
            await responder.respond(status: .unableToProcess, comment: "\(error)")
        }
    }

    private func retrieve(_ message: DIMSEMessage, context: PresentationContext, association: Association,
                          responder: Responder) async {
        guard let handler = handlers.retrieve else {
            await responder.respond(status: .sopClassNotSupported)
            return
        }
        guard let identifier = identifier(message, context) else {
            await responder.respond(status: .dataSetDoesNotMatchSOPClass, comment: "Unreadable identifier")
            return
        }
        let isMove = message.command.commandField == .cMoveRQ
        let request = RetrieveRequest(association: association.info,
                                      sopClassUID: message.command.affectedSOPClassUID ?? context.abstractSyntax,
                                      level: identifier.string(Self.queryRetrieveLevel) ?? "", identifier: identifier,
                                      moveDestination: isMove ? message.command.moveDestination ?? "" : nil)
        let items: [RetrieveItem]
        do {
            items = try await handler.retrieve(request)
        } catch let failure as DIMSEFailure {
            await responder.respond(status: failure.status, comment: failure.comment)
            return
        } catch {
            await responder.respond(status: .unableToProcess, comment: "\(error)")
            return
        }
        let operation = SubOperations(items: items, responder: responder, logger: logger)
        if isMove {
            guard let peer = await handler.destination(forAETitle: request.moveDestination ?? "", request: request) else {
                await responder.respond(status: .moveDestinationUnknown,
                                        comment: "Unknown move destination \(request.moveDestination ?? "")")
                return
            }
            await operation.move(to: peer, callingAETitle: handlers.moveCallingAETitle ?? localAETitle,
                                 originator: association.info.callingAETitle)
        } else {
            await operation.get(connection: responder.connection, association: association)
        }
    }
}

/// Sends the responses to one request.
struct Responder: Sendable {
    let connection: DIMSEConnection
    let association: Association
    let request: DIMSEMessage
    let messageID: UInt16

    func isCancelled() async -> Bool { await connection.state.isCancelled(messageID) }

    func respond(status: DIMSEStatus, comment: String? = nil, dataSet: [UInt8]? = nil,
                 counts: SubOperationCounts? = nil) async {
        guard let message = message(status: status, comment: comment, dataSet: dataSet, counts: counts) else { return }
        await send([message])
    }

    /// Sends responses in one write, so that nothing interleaves and the socket is flushed once.
    func send(_ messages: [DIMSEMessage]) async {
        do {
            try await connection.send(messages, peerMaximumPDULength: association.peerMaximumPDULength)
        } catch {
            // The connection is gone; the reading side reports it.
        }
    }

    /// The response message with this status (and data set, comment or sub-operation counts); nil when the
    /// request's command has no response.
    func message(status: DIMSEStatus, comment: String? = nil, dataSet: [UInt8]? = nil,
                 counts: SubOperationCounts? = nil) -> DIMSEMessage? {
        guard let field = request.command.commandField,
              let responseField = CommandField(rawValue: field.rawValue | 0x8000) else { return nil }
        var command = CommandSet(responseField, messageID: messageID, hasDataSet: dataSet != nil)
        if let uid = request.command.sopClassUID { command.set(CommandTag.affectedSOPClassUID, uid) }
        if field == .cStoreRQ, let uid = request.command.affectedSOPInstanceUID {
            command.set(CommandTag.affectedSOPInstanceUID, uid)
        }
        command.set(CommandTag.status, status.rawValue)
        if let comment, status.isFailure { command.set(CommandTag.errorComment, String(comment.prefix(64))) }
        if let counts {
            // Pending answers carry the remaining count; a Canceled one may, and then counts those never started
            // (PS3.4 C.4.2.3.1, C.4.3.3.1).
            if status.isPending || status == .cancel {
                command.set(CommandTag.remainingSubOperations, UInt16(clamping: counts.remaining))
            }
            command.set(CommandTag.completedSubOperations, UInt16(clamping: counts.completed))
            command.set(CommandTag.failedSubOperations, UInt16(clamping: counts.failed))
            command.set(CommandTag.warningSubOperations, UInt16(clamping: counts.warning))
        }
        return DIMSEMessage(presentationContextID: request.presentationContextID, command: command, dataSet: dataSet)
    }
}
