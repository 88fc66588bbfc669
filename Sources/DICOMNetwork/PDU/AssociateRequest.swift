/// The DICOM application context name (PS3.7 Annex A.2.1).
public let dicomApplicationContextName = "1.2.840.10008.3.1.1.1"

/// A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2).
public struct ProposedPresentationContext: Sendable, Equatable {
    /// Odd number 1…255.
    public var id: UInt8
    public var abstractSyntax: String
    public var transferSyntaxes: [String]

    public init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }
}

/// An A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2).
public struct AssociateRequest: Sendable, Equatable {
    public var protocolVersion: UInt16
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String
    public var presentationContexts: [ProposedPresentationContext]
    public var userInformation: UserInformation

    public init(calledAETitle: String, callingAETitle: String, applicationContext: String = dicomApplicationContextName,
                presentationContexts: [ProposedPresentationContext], userInformation: UserInformation,
                protocolVersion: UInt16 = 1) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContext = applicationContext
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

/// The result of one presentation context in an A-ASSOCIATE-AC (PS3.8 Table 9-18).
public enum PresentationContextResult: UInt8, Sendable, Equatable {
    case acceptance = 0
    case userRejection = 1
    case noReason = 2
    case abstractSyntaxNotSupported = 3
    case transferSyntaxesNotSupported = 4
}

/// A presentation context answered in an A-ASSOCIATE-AC (PS3.8 §9.3.3.2).
public struct AcceptedPresentationContext: Sendable, Equatable {
    public var id: UInt8
    public var result: PresentationContextResult
    /// The transfer syntax chosen; not significant when the context is not accepted.
    public var transferSyntax: String

    public init(id: UInt8, result: PresentationContextResult, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }
}

/// An A-ASSOCIATE-AC PDU (PS3.8 §9.3.3).
public struct AssociateAccept: Sendable, Equatable {
    public var protocolVersion: UInt16
    /// Echoed from the request (not to be tested, PS3.8 §9.3.3).
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String
    public var presentationContexts: [AcceptedPresentationContext]
    public var userInformation: UserInformation

    public init(calledAETitle: String, callingAETitle: String, applicationContext: String = dicomApplicationContextName,
                presentationContexts: [AcceptedPresentationContext], userInformation: UserInformation,
                protocolVersion: UInt16 = 1) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContext = applicationContext
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

/// The variable part common to A-ASSOCIATE-RQ and -AC, read once for both.
struct AssociationFields {
    var protocolVersion: UInt16 = 1
    var called = ""
    var calling = ""
    var applicationContext = ""
    var proposed: [ProposedPresentationContext] = []
    var accepted: [AcceptedPresentationContext] = []
    var userInformation: UserInformation?

    static func decode(_ body: [UInt8], isRequest: Bool) throws(DICOMNetworkError) -> AssociationFields {
        let name = isRequest ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC"
        var r = PDUReader(body, context: name)
        var f = AssociationFields()
        f.protocolVersion = try r.uint16("the protocol version")
        try r.skip(2, "reserved bytes")
        f.called = try r.text(16, "the called AE title")
        f.calling = try r.text(16, "the calling AE title")
        try r.skip(32, "reserved bytes")
        while !r.isAtEnd {
            let type = try r.uint8("an item type")
            _ = try r.uint8("a reserved byte")
            let length = Int(try r.uint16("an item length"))
            var item = try r.subReader(length, context: "\(name) item \(hex(type))")
            switch type {
            case 0x10:
                f.applicationContext = try item.text(length, "the application context name")
            case 0x20 where isRequest:
                f.proposed.append(try decodeProposed(&item))
            case 0x21 where !isRequest:
                f.accepted.append(try decodeAccepted(&item))
            case 0x50:
                f.userInformation = try UserInformation.decode(&item)
            default:
                break // unknown items are skipped (PS3.8 §9.3.1)
            }
        }
        guard !f.applicationContext.isEmpty else { throw r.failure("no application context item") }
        return f
    }

    private static func decodeProposed(_ r: inout PDUReader) throws(DICOMNetworkError) -> ProposedPresentationContext {
        let id = try r.uint8("the presentation context ID")
        try r.skip(3, "reserved bytes")
        var abstract: String?
        var transfers: [String] = []
        while !r.isAtEnd {
            let type = try r.uint8("a sub-item type")
            _ = try r.uint8("a reserved byte")
            let length = Int(try r.uint16("a sub-item length"))
            let text = try r.text(length, "a syntax name")
            switch type {
            case 0x30: abstract = text
            case 0x40: transfers.append(text)
            default: break
            }
        }
        guard let abstract else { throw r.failure("presentation context \(id) has no abstract syntax") }
        return ProposedPresentationContext(id: id, abstractSyntax: abstract, transferSyntaxes: transfers)
    }

    private static func decodeAccepted(_ r: inout PDUReader) throws(DICOMNetworkError) -> AcceptedPresentationContext {
        let id = try r.uint8("the presentation context ID")
        _ = try r.uint8("a reserved byte")
        let resultByte = try r.uint8("the result")
        _ = try r.uint8("a reserved byte")
        var transfer = ""
        while !r.isAtEnd {
            let type = try r.uint8("a sub-item type")
            _ = try r.uint8("a reserved byte")
            let length = Int(try r.uint16("a sub-item length"))
            let text = try r.text(length, "a transfer syntax name")
            if type == 0x40 { transfer = text }
        }
        let result = PresentationContextResult(rawValue: resultByte) ?? .noReason
        return AcceptedPresentationContext(id: id, result: result, transferSyntax: transfer)
    }

    static func encodeHeader(into w: inout PDUWriter, version: UInt16, called: String, calling: String, context: String) {
        w.uint16(version); w.uint16(0)
        w.aeTitle(called); w.aeTitle(calling)
        w.append([UInt8](repeating: 0, count: 32))
        w.item(0x10, Array(context.utf8))
    }
}

extension AssociateRequest {
    init(decoding body: [UInt8]) throws(DICOMNetworkError) {
        let f = try AssociationFields.decode(body, isRequest: true)
        guard let info = f.userInformation else {
            throw DICOMNetworkError(.malformedPDU, "Malformed A-ASSOCIATE-RQ: no user information item")
        }
        self.init(calledAETitle: f.called, callingAETitle: f.calling, applicationContext: f.applicationContext,
                  presentationContexts: f.proposed, userInformation: info, protocolVersion: f.protocolVersion)
    }

    func encodeBody() -> [UInt8] {
        var w = PDUWriter()
        AssociationFields.encodeHeader(into: &w, version: protocolVersion, called: calledAETitle,
                                       calling: callingAETitle, context: applicationContext)
        for pc in presentationContexts {
            let start = w.beginItem(0x20)
            w.uint8(pc.id); w.uint8(0); w.uint8(0); w.uint8(0)
            w.item(0x30, Array(pc.abstractSyntax.utf8))
            for ts in pc.transferSyntaxes { w.item(0x40, Array(ts.utf8)) }
            w.endItem(start)
        }
        userInformation.encode(into: &w)
        return w.bytes
    }
}

extension AssociateAccept {
    init(decoding body: [UInt8]) throws(DICOMNetworkError) {
        let f = try AssociationFields.decode(body, isRequest: false)
        guard let info = f.userInformation else {
            throw DICOMNetworkError(.malformedPDU, "Malformed A-ASSOCIATE-AC: no user information item")
        }
        self.init(calledAETitle: f.called, callingAETitle: f.calling, applicationContext: f.applicationContext,
                  presentationContexts: f.accepted, userInformation: info, protocolVersion: f.protocolVersion)
    }

    func encodeBody() -> [UInt8] {
        var w = PDUWriter()
        AssociationFields.encodeHeader(into: &w, version: protocolVersion, called: calledAETitle,
                                       calling: callingAETitle, context: applicationContext)
        for pc in presentationContexts {
            let start = w.beginItem(0x21)
            w.uint8(pc.id); w.uint8(0); w.uint8(pc.result.rawValue); w.uint8(0)
            w.item(0x40, Array(pc.transferSyntax.utf8))
            w.endItem(start)
        }
        userInformation.encode(into: &w)
        return w.bytes
    }
}
