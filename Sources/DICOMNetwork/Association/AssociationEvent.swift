/// What the reading side of a connection reports to the association's user.
enum AssociationEvent: Sendable {
    case associateRequest(AssociateRequest)
    case associateAccept(AssociateAccept)
    case associateReject(AssociateReject)
    /// A DIMSE request (responses go to whoever waits for them).
    case request(DIMSEMessage)
    case releaseRequested
    case released
    case aborted(Abort)
    /// The connection ended or failed; the error says why when there is one.
    case closed(DICOMNetworkError?)
}

/// The state shared by the reading and the working side: the state machine, response waiters and C-CANCELs.
actor AssociationState {
    private var machine: AssociationStateMachine
    private var waiters: [UInt16: AsyncThrowingStream<DIMSEMessage, Error>.Continuation] = [:]
    private var cancelled: Set<UInt16> = []
    private var failure: DICOMNetworkError?
    private var nextMessageID: UInt16 = 0

    init(machine: AssociationStateMachine) { self.machine = machine }

    func received(_ type: PDUType) -> AssociationStateMachine.Action { machine.received(type) }
    func respond(_ pdu: PDU) -> AssociationStateMachine.Action { machine.respond(pdu) }
    func requestRelease() -> AssociationStateMachine.Action { machine.requestRelease() }
    func respondToRelease() -> AssociationStateMachine.Action { machine.respondToRelease() }
    func abort() -> AssociationStateMachine.Action { machine.abort() }
    var current: AssociationStateMachine.State { machine.state }
    func replaceMachine(_ machine: AssociationStateMachine) { self.machine = machine }
    func transportAccepted() -> AssociationStateMachine.Action { machine.transportAccepted() }

    /// A fresh message ID for a request this side sends.
    func makeMessageID() -> UInt16 {
        nextMessageID &+= 1
        if nextMessageID == 0 { nextMessageID = 1 }
        return nextMessageID
    }

    /// The responses to message `id`, to be read until a final (non-pending) status.
    func responses(to id: UInt16) -> AsyncThrowingStream<DIMSEMessage, Error> {
        let (stream, continuation) = AsyncThrowingStream<DIMSEMessage, Error>.makeStream()
        if let failure {
            continuation.finish(throwing: failure)
        } else {
            waiters[id] = continuation
        }
        return stream
    }

    func stopWaiting(for id: UInt16) {
        waiters.removeValue(forKey: id)?.finish()
    }

    /// Hands a response to its waiter; answers false when nobody waits for it.
    func deliver(_ response: DIMSEMessage) -> Bool {
        guard let id = response.command.messageIDBeingRespondedTo, let waiter = waiters[id] else { return false }
        waiter.yield(response)
        if let status = response.command.status, !status.isPending {
            waiters.removeValue(forKey: id)
            waiter.finish()
        }
        return true
    }

    func cancel(_ id: UInt16) { cancelled.insert(id) }
    func isCancelled(_ id: UInt16) -> Bool { cancelled.contains(id) }
    func clearCancel(_ id: UInt16) { cancelled.remove(id) }

    /// Ends every wait with `error`: the association is gone.
    func failAll(_ error: DICOMNetworkError) {
        failure = failure ?? error
        for waiter in waiters.values { waiter.finish(throwing: error) }
        waiters.removeAll()
    }
}
