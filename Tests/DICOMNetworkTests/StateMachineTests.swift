@testable import DICOMNetwork
import DICOM
import Testing

@Suite("Association state machine and DIMSE command sets")
struct StateMachineTests {
    @Test("Acceptor: RQ → established → release")
    func acceptorHappyPath() {
        var m = AssociationStateMachine()
        #expect(m.transportAccepted() == .none)
        #expect(m.received(.associateRQ) == .deliver)
        let ac = PDU.associateAC(AssociateAccept(calledAETitle: "A", callingAETitle: "B", presentationContexts: [],
                                                 userInformation: UserInformation(implementationClassUID: "1.2")))
        #expect(m.respond(ac) == .send(ac))
        #expect(m.state == .established)
        #expect(m.received(.dataTF) == .deliver)
        #expect(m.received(.releaseRQ) == .deliver)
        #expect(m.respondToRelease() == .send(.releaseRP))
        #expect(m.state == .awaitingClose)
    }

    @Test("PDUs the state does not allow are answered with A-ABORT",
          arguments: [PDUType.associateAC, .associateRJ, .dataTF, .releaseRQ, .releaseRP])
    func unexpectedBeforeAssociation(type: PDUType) {
        var m = AssociationStateMachine()
        _ = m.transportAccepted()
        #expect(m.received(type) == .abortAndClose(.unexpectedPDU))
        #expect(m.state == .awaitingClose)
    }

    @Test("Established: a second A-ASSOCIATE-RQ aborts; A-ABORT from the peer ends the association")
    func establishedRefusals() {
        var m = AssociationStateMachine(state: .established)
        #expect(m.received(.associateRQ) == .abortAndClose(.unexpectedPDU))
        var n = AssociationStateMachine(state: .established)
        #expect(n.received(.abort) == .deliver)
        #expect(n.state == .idle)
    }

    @Test("ARTIM expiry while waiting for A-ASSOCIATE-RQ closes the transport")
    func artim() {
        var m = AssociationStateMachine()
        _ = m.transportAccepted()
        #expect(m.timerExpired() == .close)
        var n = AssociationStateMachine(state: .established)
        #expect(n.timerExpired() == .abortAndClose(Abort(source: 2, reason: 0)))
    }

    @Test("Presentation context negotiation picks our first transfer syntax the peer proposes")
    func negotiation() {
        let policy = AcceptancePolicy(aeTitle: "PHAROS", transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])
        let answers = policy.negotiate([
            ProposedPresentationContext(id: 1, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                                        transferSyntaxes: ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]),
            ProposedPresentationContext(id: 3, abstractSyntax: "1.2.3.4.5.6", transferSyntaxes: ["1.2.840.10008.1.2"]),
            ProposedPresentationContext(id: 5, abstractSyntax: SOPClass.verification, transferSyntaxes: ["1.2.840.10008.1.2.4.50"]),
        ])
        #expect(answers.map(\.result) == [.acceptance, .abstractSyntaxNotSupported, .transferSyntaxesNotSupported])
        #expect(answers[0].transferSyntax == "1.2.840.10008.1.2.1")
    }

    @Test("Command sets round-trip through implicit VR little endian with a correct group length")
    func commandSet() throws {
        var command = CommandSet(.cStoreRQ, messageID: 7, hasDataSet: true)
        command.set(CommandTag.affectedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
        let bytes = try command.encoded()
        #expect(Array(bytes[0 ..< 8]) == [0, 0, 0, 0, 4, 0, 0, 0])
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect(length == bytes.count - 12)
        let decoded = try CommandSet.decode(bytes)
        #expect(decoded.commandField == .cStoreRQ)
        #expect(decoded.messageID == 7)
        #expect(decoded.hasDataSet)
        #expect(decoded.affectedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2")
        #expect(throws: DICOMNetworkError.self) { try CommandSet.decode(Array(bytes.dropLast(3))) }
    }

    @Test("Messages are fragmented to the peer's maximum PDU length and reassembled")
    func fragmentation() throws {
        let data = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0) }
        let message = DIMSEMessage(presentationContextID: 3, command: CommandSet(.cStoreRQ, messageID: 1, hasDataSet: true),
                                   dataSet: data)
        let pdus = try message.pdus(maximumLength: 4096)
        var assembler = MessageAssembler(maximumDataSetSize: 1 << 20)
        var result: DIMSEMessage?
        for pdu in pdus {
            #expect(pdu.encoded().count - 6 <= 4096)
            guard case .dataTF(let pdvs) = pdu else { continue }
            for pdv in pdvs { if let m = try assembler.add(pdv) { result = m } }
        }
        #expect(result?.dataSet == data)
        var small = MessageAssembler(maximumDataSetSize: 5000)
        #expect(throws: DICOMNetworkError(.dataSetTooLarge, "")) {
            for pdu in pdus { if case .dataTF(let pdvs) = pdu { for pdv in pdvs { _ = try small.add(pdv) } } }
        }
    }

    @Test("A batch of messages is packed into as few PDUs as fit the peer's maximum, never two messages in one PDU",
          arguments: [UInt32(0), 7, 64, 300, 16384])
    func packing(maximumLength: UInt32) throws {
        var messages: [DIMSEMessage] = []
        for i in 1 ... 40 {
            let data: [UInt8]? = i < 40 ? (0 ..< (i * 37) % 500).map { (k: Int) -> UInt8 in UInt8(truncatingIfNeeded: k + i) } : nil
            let command = CommandSet(.cFindRSP, messageID: UInt16(i), hasDataSet: data != nil)
            messages.append(DIMSEMessage(presentationContextID: 5, command: command, dataSet: data))
        }
        let pdus = try DIMSEMessage.packedPDUs(messages, maximumLength: maximumLength)
        let separate = try messages.reduce(0) { $0 + (try $1.pdus(maximumLength: maximumLength).count) }
        if maximumLength == 0 || maximumLength >= 300 { #expect(pdus.count < separate) }
        var assembler = MessageAssembler(maximumDataSetSize: 1 << 20)
        var result: [DIMSEMessage] = []
        for pdu in pdus {
            if maximumLength > 0 { #expect(pdu.encoded().count - 6 <= Int(maximumLength)) }
            guard case .dataTF(let pdvs) = pdu else { Issue.record("not a P-DATA-TF: \(pdu)"); continue }
            #expect(!pdvs.isEmpty)
            for (k, pdv) in pdvs.enumerated() {
                guard let m = try assembler.add(pdv) else { continue }
                result.append(m)
                #expect(k == pdvs.count - 1, "a message ends inside a PDU that goes on")
            }
        }
        #expect(result.map { (m: DIMSEMessage) in m.command.messageID } == messages.map { (m: DIMSEMessage) in m.command.messageID })
        #expect(result.map { (m: DIMSEMessage) in m.dataSet } == messages.map { (m: DIMSEMessage) in m.dataSet })
        #expect(result.allSatisfy { $0.presentationContextID == 5 })
    }
}
