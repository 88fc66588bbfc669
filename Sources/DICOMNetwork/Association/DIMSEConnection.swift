import DICOM
import NIOCore

/// One connection's upper layer: a reading loop turning PDUs into events and routed responses, and the sending side.
final class DIMSEConnection: Sendable {
    /// Each write is a run of PDUs, encoded into one buffer: one pass through the pipeline for a batch of C-FIND
    /// answers instead of one per answer.
    let outbound: NIOAsyncChannelOutboundWriter<[PDU]>
    let state: AssociationState
    let events: AsyncStream<AssociationEvent>
    private let eventSink: AsyncStream<AssociationEvent>.Continuation
    let maximumDataSetSize: Int

    init(outbound: NIOAsyncChannelOutboundWriter<[PDU]>, machine: AssociationStateMachine, maximumDataSetSize: Int) {
        self.outbound = outbound
        self.state = AssociationState(machine: machine)
        self.maximumDataSetSize = maximumDataSetSize
        (events, eventSink) = AsyncStream<AssociationEvent>.makeStream()
    }

    /// Reads PDUs until the connection ends; every malformed input ends in an A-ABORT.
    func readLoop(_ inbound: NIOAsyncChannelInboundStream<PDU>) async {
        var assembler = MessageAssembler(maximumDataSetSize: maximumDataSetSize)
        var closingError: DICOMNetworkError?
        do {
            loop: for try await pdu in inbound {
                switch await state.received(pdu.type) {
                case .deliver: break
                case .send(let reply):
                    try await outbound.write([reply])
                    continue loop
                case .abortAndClose(let abort):
                    try? await outbound.write([.abort(abort)])
                    closingError = DICOMNetworkError(.unexpectedPDU, "Unexpected \(pdu.type) PDU: association aborted")
                    break loop
                case .close:
                    break loop
                case .none:
                    continue loop
                }
                switch pdu {
                case .associateRQ(let rq): eventSink.yield(.associateRequest(rq))
                case .associateAC(let ac): eventSink.yield(.associateAccept(ac))
                case .associateRJ(let rj):
                    eventSink.yield(.associateReject(rj))
                    break loop
                case .dataTF(let pdvs):
                    for pdv in pdvs {
                        if let message = try assembler.add(pdv) { await route(message) }
                    }
                case .releaseRQ: eventSink.yield(.releaseRequested)
                case .releaseRP:
                    eventSink.yield(.released)
                    break loop
                case .abort(let abort):
                    eventSink.yield(.aborted(abort))
                    closingError = DICOMNetworkError(.associationAborted,
                                                     "The peer aborted the association (source \(abort.source), reason \(abort.reason))")
                    break loop
                }
            }
        } catch let error as DICOMNetworkError {
            try? await outbound.write([.abort(error.code == .pduTooLong ? .invalidParameter : .unrecognizedPDU)])
            closingError = error
        } catch {
            closingError = DICOMNetworkError(.connectionClosed, "Connection failed: \(error)")
        }
        let final = closingError ?? DICOMNetworkError(.connectionClosed, "The connection closed")
        await state.failAll(final)
        eventSink.yield(.closed(closingError))
        eventSink.finish()
    }

    private func route(_ message: DIMSEMessage) async {
        guard let field = message.command.commandField else { return }
        if field == .cCancelRQ {
            if let id = message.command.messageIDBeingRespondedTo { await state.cancel(id) }
        } else if field.isResponse {
            _ = await state.deliver(message)
        } else {
            eventSink.yield(.request(message))
        }
    }

    /// Sends a message fragmented to the peer's maximum PDU length, all its PDUs in one write so that no other
    /// message interleaves.
    func send(_ message: DIMSEMessage, peerMaximumPDULength: UInt32) async throws {
        try await outbound.write(try message.pdus(maximumLength: peerMaximumPDULength))
    }

    /// Sends several messages in one write, in order, their PDVs packed into as few PDUs as fit.
    func send(_ messages: [DIMSEMessage], peerMaximumPDULength: UInt32) async throws {
        try await outbound.write(try DIMSEMessage.packedPDUs(messages, maximumLength: peerMaximumPDULength))
    }

    func send(_ pdu: PDU) async throws {
        try await outbound.write([pdu])
    }
}
