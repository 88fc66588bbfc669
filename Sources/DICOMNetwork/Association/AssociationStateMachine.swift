/// The upper layer state machine (PS3.8 §9.2, Table 9-10), reduced to the states this implementation passes through.
/// A pure value: each event returns what to do; every pair not in the table is refused with an abort (AA-1/AA-8).
public struct AssociationStateMachine: Sendable, Equatable {
    /// PS3.8 Table 9-9 states.
    public enum State: Sendable, Equatable {
        /// Sta1: no association.
        case idle
        /// Sta2: transport open, waiting for A-ASSOCIATE-RQ (ARTIM running).
        case awaitingAssociateRequest
        /// Sta3: A-ASSOCIATE-RQ received, waiting for the local user's answer.
        case awaitingLocalAssociateResponse
        /// Sta5: A-ASSOCIATE-RQ sent, waiting for A-ASSOCIATE-AC or -RJ.
        case awaitingAssociateResponse
        /// Sta6: association established, ready for data transfer.
        case established
        /// Sta7: A-RELEASE-RQ sent, waiting for A-RELEASE-RP.
        case awaitingReleaseResponse
        /// Sta8: A-RELEASE-RQ received, waiting for the local user's answer.
        case awaitingLocalReleaseResponse
        /// Sta13: waiting for the transport to close (ARTIM running).
        case awaitingClose
    }

    /// What the caller must do after an event.
    public enum Action: Sendable, Equatable {
        /// Hand the PDU to the user (indication or confirmation).
        case deliver
        /// Send this PDU.
        case send(PDU)
        /// Send A-ABORT then close the transport.
        case abortAndClose(Abort)
        /// Close the transport.
        case close
        /// Nothing to do.
        case none
    }

    public private(set) var state: State

    public init(state: State = .idle) { self.state = state }

    /// Evt5: a transport connection was accepted (acceptor side).
    public mutating func transportAccepted() -> Action {
        guard state == .idle else { return refuse() }
        state = .awaitingAssociateRequest
        return .none
    }

    /// Evt1 + Evt2: the requestor connected and sends its A-ASSOCIATE-RQ.
    public mutating func requestAssociation(_ request: AssociateRequest) -> Action {
        guard state == .idle else { return refuse() }
        state = .awaitingAssociateResponse
        return .send(.associateRQ(request))
    }

    /// Evt3, Evt4, Evt10, Evt12, Evt13, Evt16: a PDU arrived.
    public mutating func received(_ type: PDUType) -> Action {
        switch (state, type) {
        case (_, .abort):
            // AA-3 / AA-2: the peer aborted; whatever the state, the association is over.
            let wasAwaitingClose = state == .awaitingClose
            state = .idle
            return wasAwaitingClose ? .close : .deliver
        case (.awaitingAssociateRequest, .associateRQ):
            state = .awaitingLocalAssociateResponse
            return .deliver
        case (.awaitingAssociateResponse, .associateAC):
            state = .established
            return .deliver
        case (.awaitingAssociateResponse, .associateRJ):
            state = .idle
            return .deliver
        case (.established, .dataTF), (.awaitingReleaseResponse, .dataTF):
            return .deliver
        case (.established, .releaseRQ):
            state = .awaitingLocalReleaseResponse
            return .deliver
        case (.awaitingReleaseResponse, .releaseRP):
            state = .idle
            return .deliver
        case (.awaitingReleaseResponse, .releaseRQ):
            // Release collision (Sta9–12 collapsed): answer it and keep waiting for our own A-RELEASE-RP.
            return .send(.releaseRP)
        case (.awaitingClose, _):
            return .none // AA-6: ignored while the transport closes
        default:
            return refuse()
        }
    }

    /// Evt7 / Evt8: the local user accepts or rejects the association.
    public mutating func respond(_ pdu: PDU) -> Action {
        guard state == .awaitingLocalAssociateResponse else { return refuse() }
        switch pdu {
        case .associateAC: state = .established
        case .associateRJ: state = .awaitingClose
        default: return refuse()
        }
        return .send(pdu)
    }

    /// Evt9: the local user sends P-DATA.
    public mutating func sendData() -> Action {
        switch state {
        case .established, .awaitingLocalReleaseResponse: return .none
        default: return refuse()
        }
    }

    /// Evt11: the local user asks to release.
    public mutating func requestRelease() -> Action {
        guard state == .established else { return refuse() }
        state = .awaitingReleaseResponse
        return .send(.releaseRQ)
    }

    /// Evt14: the local user answers the peer's release request.
    public mutating func respondToRelease() -> Action {
        guard state == .awaitingLocalReleaseResponse else { return refuse() }
        state = .awaitingClose
        return .send(.releaseRP)
    }

    /// Evt15: the local user aborts.
    public mutating func abort() -> Action {
        guard state != .idle else { return .none }
        state = .awaitingClose
        return .abortAndClose(.byUser)
    }

    /// Evt18: ARTIM (or the inactivity timer) expired.
    public mutating func timerExpired() -> Action {
        switch state {
        case .idle: return .none
        case .awaitingClose, .awaitingAssociateRequest:
            state = .idle
            return .close
        default:
            state = .idle
            return .abortAndClose(Abort(source: 2, reason: 0))
        }
    }

    /// Evt17: the transport closed.
    public mutating func transportClosed() -> Action {
        state = .idle
        return .none
    }

    /// AA-1 / AA-8: an event the state does not allow.
    private mutating func refuse() -> Action {
        state = .awaitingClose
        return .abortAndClose(.unexpectedPDU)
    }
}
