import DICOM
import Logging

/// The C-STORE sub-operations of a C-MOVE (on a new association to the destination) or a C-GET (on the
/// requestor's association), with pending responses and C-CANCEL (PS3.4 §C.4.2, §C.4.3).
struct SubOperations {
    let items: [RetrieveItem]
    let responder: Responder
    let logger: Logger

    private static let failedSOPInstanceUIDList = Tag(0x0008, 0x0058)

    /// C-MOVE: one association to `peer` proposing each (SOP class, transfer syntax) the items need.
    func move(to peer: DICOMPeer, callingAETitle: String, originator: String) async {
        var needed: [(abstractSyntax: String, transferSyntaxes: [String])] = []
        var seen = Set<String>()
        for item in items where seen.insert(item.sopClassUID + "|" + item.transferSyntax).inserted {
            needed.append((item.sopClassUID, [item.transferSyntax]))
        }
        if items.isEmpty {
            await responder.respond(status: .success, counts: SubOperationCounts())
            return
        }
        let client = DICOMClient(callingAETitle: callingAETitle, calledAETitle: peer.aeTitle, host: peer.host,
                                 port: peer.port)
        let originatorMessageID = responder.messageID
        do {
            let outcome = try await client.withAssociation(proposing: needed) { association in
                try await run { item, bytes in
                    try await association.store(part10: bytes, moveOriginator: originator,
                                                moveMessageID: originatorMessageID)
                }
            }
            await finish(outcome)
        } catch {
            logger.warning("C-MOVE to \(peer.aeTitle) at \(peer.host):\(peer.port) failed: \(error)")
            await responder.respond(status: .outOfResourcesSubOperations, comment: "\(error)",
                                    counts: SubOperationCounts(failed: items.count))
        }
    }

    /// C-GET: C-STORE requests on the requestor's own association, in the contexts it proposed.
    func get(connection: DIMSEConnection, association: Association) async {
        let outcome = try? await run { item, bytes in
            guard let context = association.context(for: item.sopClassUID, transferSyntax: item.transferSyntax),
                  context.transferSyntax == item.transferSyntax else {
                throw DICOMNetworkError(.noPresentationContext, "No context for \(item.sopClassUID) in \(item.transferSyntax)")
            }
            let id = await connection.state.makeMessageID()
            var command = CommandSet(.cStoreRQ, messageID: id, hasDataSet: true)
            command.set(CommandTag.affectedSOPClassUID, item.sopClassUID)
            command.set(CommandTag.affectedSOPInstanceUID, item.sopInstanceUID)
            command.set(CommandTag.priority, 0)
            let responses = await connection.state.responses(to: id)
            try await connection.send(DIMSEMessage(presentationContextID: context.id, command: command,
                                                   dataSet: Array(bytes[ClientAssociation.dataSetOffset(bytes)...])),
                                      peerMaximumPDULength: association.peerMaximumPDULength)
            for try await response in responses where !(response.command.status?.isPending ?? false) {
                return response.command.status ?? .unableToProcess
            }
            throw DICOMNetworkError(.connectionClosed, "No C-STORE response")
        }
        await finish(outcome ?? Outcome(counts: SubOperationCounts(failed: items.count),
                                        failedUIDs: items.map(\.sopInstanceUID), cancelled: false))
    }

    struct Outcome: Sendable {
        var counts: SubOperationCounts
        var failedUIDs: [String]
        var cancelled: Bool
    }

    /// Runs `store` for each item, sending a pending response after each, stopping at C-CANCEL.
    private func run(_ store: @Sendable (RetrieveItem, [UInt8]) async throws -> DIMSEStatus) async throws -> Outcome {
        var counts = SubOperationCounts(remaining: items.count)
        var failed: [String] = []
        for (index, item) in items.enumerated() {
            if await responder.isCancelled() {
                failed += items[index...].map(\.sopInstanceUID)
                return Outcome(counts: counts, failedUIDs: failed, cancelled: true)
            }
            let status: DIMSEStatus
            do {
                status = try await store(item, try await item.load())
            } catch let error as DICOMNetworkError where error.code == .connectionClosed || error.code == .associationAborted {
                throw error
            } catch {
                logger.warning("Sub-operation for \(item.sopInstanceUID) failed: \(error)")
                status = .unableToProcess
            }
            counts.remaining -= 1
            if status.isSuccess {
                counts.completed += 1
            } else if status.isWarning {
                counts.warning += 1
            } else {
                counts.failed += 1
                failed.append(item.sopInstanceUID)
            }
            if counts.remaining > 0 {
                await responder.respond(status: .pending, counts: counts)
            }
        }
        return Outcome(counts: counts, failedUIDs: failed, cancelled: false)
    }

    private func finish(_ outcome: Outcome) async {
        var dataSet: [UInt8]?
        if !outcome.failedUIDs.isEmpty, let syntax = TransferSyntax.lookup(
            responder.association.contexts[responder.request.presentationContextID]?.transferSyntax ?? "") {
            var list = DataSet()
            list.set(.string(Self.failedSOPInstanceUIDList, .UI, outcome.failedUIDs.joined(separator: "\\")))
            dataSet = try? list.serialized(transferSyntax: syntax)
        }
        let status: DIMSEStatus
        if outcome.cancelled {
            status = .cancel
        } else if outcome.counts.failed > 0 || outcome.counts.warning > 0 {
            status = .warningSubOperationsFailed
        } else {
            status = .success
        }
        await responder.respond(status: status, dataSet: dataSet, counts: outcome.counts)
    }
}
