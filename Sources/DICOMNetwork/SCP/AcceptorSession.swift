import DICOM
import Logging
import NIOCore

/// One accepted connection: negotiation, then DIMSE requests served one after the other, then release.
struct AcceptorSession {
    let channel: NIOAsyncChannel<PDU, [PDU]>
    let configuration: DICOMServerConfiguration
    let dispatcher: ServiceDispatcher
    let logger: Logger

    func run(overLimit: Bool) async {
        let remote = channel.channel.remoteAddress
        do {
            try await channel.executeThenClose { inbound, outbound in
                var machine = AssociationStateMachine()
                _ = machine.transportAccepted()
                let connection = DIMSEConnection(outbound: outbound, machine: machine,
                                                 maximumDataSetSize: configuration.maximumDataSetSize)
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await connection.readLoop(inbound) }
                    await serve(connection, remoteAddress: remote?.ipAddress, remotePort: remote?.port,
                                overLimit: overLimit)
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("DICOM association ended with an error: \(error)")
        }
    }

    private func serve(_ connection: DIMSEConnection, remoteAddress: String?, remotePort: Int?,
                       overLimit: Bool) async {
        var association: Association?
        for await event in connection.events {
            switch event {
            case .associateRequest(let request):
                let info = AssociationInfo(callingAETitle: request.callingAETitle, calledAETitle: request.calledAETitle,
                                           remoteAddress: remoteAddress, remotePort: remotePort)
                let answer = overLimit ? .associateRJ(.localLimitExceeded)
                    : await configuration.policy.answer(request, info: info)
                guard case .send(let pdu) = await connection.state.respond(answer) else { return }
                try? await connection.send(pdu)
                guard case .associateAC(let accept) = answer else {
                    logger.info("DICOM association from \(request.callingAETitle) rejected")
                    return
                }
                association = Association(request: request, accept: accept, remoteAddress: remoteAddress,
                                          remotePort: remotePort, isAcceptor: true)
            case .request(let message):
                guard let association else { return }
                await dispatcher.handle(message, connection: connection, association: association)
            case .releaseRequested:
                if case .send(let pdu) = await connection.state.respondToRelease() { try? await connection.send(pdu) }
                return
            case .aborted, .closed, .released, .associateAccept, .associateReject:
                return
            }
        }
    }
}
