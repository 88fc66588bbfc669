/// The requestor's side of the event stream: the association answer, the release answer, and C-STORE requests
/// arriving during a C-GET (given to the store handler set for that time).
actor RequestorInbox {
    private var answerEvent: AssociationEvent?
    private var answerWaiters: [CheckedContinuation<AssociationEvent, Never>] = []
    private var endEvent: AssociationEvent?
    private var endWaiters: [CheckedContinuation<AssociationEvent, Never>] = []
    private(set) var storeHandler: (any StoreHandler)?
    private(set) var association: Association?

    func setStoreHandler(_ handler: (any StoreHandler)?, association: Association) {
        storeHandler = handler
        self.association = association
    }

    /// Consumes the connection's events until it ends.
    func pump(_ connection: DIMSEConnection) async {
        for await event in connection.events {
            if case .request(let message) = event {
                await answerRequest(message, connection: connection)
            } else if case .releaseRequested = event {
                if case .send(let pdu) = await connection.state.respondToRelease() { try? await connection.send(pdu) }
            } else {
                post(event)
            }
        }
        post(.closed(nil))
    }

    private func post(_ event: AssociationEvent) {
        switch event {
        case .associateAccept, .associateReject:
            settleAnswer(event)
        case .released, .aborted, .closed:
            settleAnswer(event)
            if endEvent == nil {
                endEvent = event
                for waiter in endWaiters { waiter.resume(returning: event) }
                endWaiters.removeAll()
            }
        default:
            break
        }
    }

    private func settleAnswer(_ event: AssociationEvent) {
        guard answerEvent == nil else { return }
        answerEvent = event
        for waiter in answerWaiters { waiter.resume(returning: event) }
        answerWaiters.removeAll()
    }

    /// The A-ASSOCIATE-AC or -RJ, or how the connection ended before one came.
    func answer() async -> AssociationEvent {
        if let answerEvent { return answerEvent }
        return await withCheckedContinuation { answerWaiters.append($0) }
    }

    /// How the association ended: released, aborted or closed.
    func end() async -> AssociationEvent {
        if let endEvent { return endEvent }
        return await withCheckedContinuation { endWaiters.append($0) }
    }

    /// A C-STORE sub-operation of a C-GET: handed to the store handler; anything else is refused.
    private func answerRequest(_ message: DIMSEMessage, connection: DIMSEConnection) async {
        guard let association, let id = message.command.messageID else { return }
        let field = message.command.commandField
        var status = DIMSEStatus.sopClassNotSupported
        if field == .cStoreRQ, let handler = storeHandler, let data = message.dataSet,
           let context = association.contexts[message.presentationContextID] {
            let request = StoreRequest(association: association.info,
                                       sopClassUID: message.command.affectedSOPClassUID ?? context.abstractSyntax,
                                       sopInstanceUID: message.command.affectedSOPInstanceUID ?? "",
                                       transferSyntax: context.transferSyntax, dataSet: data)
            status = await handler.store(request)
        }
        guard let field, let responseField = CommandField(rawValue: field.rawValue | 0x8000) else { return }
        var command = CommandSet(responseField, messageID: id, hasDataSet: false)
        if let uid = message.command.affectedSOPClassUID { command.set(CommandTag.affectedSOPClassUID, uid) }
        if let uid = message.command.affectedSOPInstanceUID { command.set(CommandTag.affectedSOPInstanceUID, uid) }
        command.set(CommandTag.status, status.rawValue)
        try? await connection.send(DIMSEMessage(presentationContextID: message.presentationContextID, command: command),
                                   peerMaximumPDULength: association.peerMaximumPDULength)
    }
}
