@testable import DICOMNetwork
import DICOM
import Testing
import TestSupport

@Suite("PDUs (PS3.8 §9.3)")
struct PDUTests {
    static let request = AssociateRequest(
        calledAETitle: "PHAROS", callingAETitle: "MODALITY",
        presentationContexts: [
            ProposedPresentationContext(id: 1, abstractSyntax: SOPClass.verification,
                                        transferSyntaxes: ["1.2.840.10008.1.2"]),
            ProposedPresentationContext(id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                                        transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
        ],
        userInformation: UserInformation(maximumLength: 32768, implementationClassUID: "1.2.3.4",
                                         implementationVersionName: "TEST_1", asynchronousOperations: (1, 1),
                                         roleSelections: [RoleSelection(sopClassUID: "1.2.840.10008.5.1.4.1.1.2",
                                                                        scuRole: false, scpRole: true)],
                                         otherItems: [.init(type: 0x58, value: [1, 0, 0, 4, 0x75, 0x73, 0x65, 0x72, 0, 0])]))

    @Test("Every PDU type survives encode → decode → encode")
    func roundTrips() throws {
        let accept = AssociateAccept(calledAETitle: "PHAROS", callingAETitle: "MODALITY",
                                     presentationContexts: [
                                         AcceptedPresentationContext(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2"),
                                         AcceptedPresentationContext(id: 3, result: .abstractSyntaxNotSupported,
                                                                     transferSyntax: "1.2.840.10008.1.2"),
                                     ],
                                     userInformation: UserInformation(maximumLength: 0, implementationClassUID: "1.2.3"))
        let pdus: [PDU] = [
            .associateRQ(Self.request), .associateAC(accept), .associateRJ(.calledAETitleNotRecognized),
            .dataTF([PDV(presentationContextID: 3, isCommand: true, isLast: false, data: [1, 2, 3]),
                     PDV(presentationContextID: 3, isCommand: false, isLast: true, data: [])]),
            .releaseRQ, .releaseRP, .abort(.invalidParameter),
        ]
        for pdu in pdus {
            let bytes = pdu.encoded()
            let decoded = try PDU.decode(bytes)
            #expect(decoded == pdu)
            #expect(decoded.encoded() == bytes)
        }
    }

    @Test("AE titles are padded to 16 bytes and trimmed when read")
    func aeTitlePadding() throws {
        let bytes = PDU.associateRQ(Self.request).encoded()
        #expect(Array(bytes[10 ..< 26]) == Array("PHAROS          ".utf8))
        guard case .associateRQ(let rq) = try PDU.decode(bytes) else { Issue.record("not an RQ"); return }
        #expect(rq.calledAETitle == "PHAROS")
        #expect(rq.userInformation.roleSelections.first?.scpRole == true)
        #expect(rq.userInformation.asynchronousOperations?.invoked == 1)
    }

    @Test("Every truncation of a valid PDU is refused, never a crash")
    func truncations() throws {
        for pdu in [PDU.associateRQ(Self.request), .abort(.byUser),
                    .dataTF([PDV(presentationContextID: 1, isCommand: true, isLast: true, data: [0, 1])])] {
            let bytes = pdu.encoded()
            for cut in 0 ..< bytes.count {
                #expect(throws: DICOMNetworkError.self) { try PDU.decode(Array(bytes[..<cut])) }
            }
        }
    }

    @Test("Item lengths that overrun their parent are refused")
    func wrongItemLengths() throws {
        var bytes = PDU.associateRQ(Self.request).encoded()
        // The application context item starts right after the 68-byte fixed part; claim it is huge.
        #expect(bytes[74] == 0x10)
        bytes[76] = 0xFF; bytes[77] = 0xFF
        #expect(throws: DICOMNetworkError(.malformedPDU, "")) { try PDU.decode(bytes) }

        // A PDV whose length is below its 2-byte header.
        let pdata: [UInt8] = [0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3]
        #expect(throws: DICOMNetworkError(.malformedPDU, "")) { try PDU.decode(pdata) }

        // A fixed-size PDU with the wrong length.
        #expect(throws: DICOMNetworkError(.malformedPDU, "")) { try PDU.decode([0x05, 0, 0, 0, 0, 2, 0, 0]) }
        // An unknown PDU type.
        #expect(throws: DICOMNetworkError(.malformedPDU, "")) { try PDU.decode([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]) }
    }

    @Test("Random bytes and random corruptions never crash the decoder")
    func fuzz() {
        var rng = TestRandom(seed: 42)
        let valid = PDU.associateRQ(Self.request).encoded()
        var decodedSomething = 0
        for round in 0 ..< 3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0 ..< Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if bytes.count >= 6 { bytes[0] = UInt8(1 + rng.next() % 7) }
            } else {
                bytes = valid
                for _ in 0 ..< 1 + Int(rng.next() % 4) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            if (try? PDU.decode(bytes)) != nil { decodedSomething += 1 }
        }
        // Corruptions in AE titles or UIDs still decode: the point is that nothing trapped.
        #expect(decodedSomething < 3000)
    }
}

