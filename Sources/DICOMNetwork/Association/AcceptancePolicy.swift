import DICOM

/// Who is calling, as the acceptor sees it before accepting (for AE title and host rules).
public struct AssociationInfo: Sendable, Equatable {
    public var callingAETitle: String
    public var calledAETitle: String
    /// The peer's IP address, when known.
    public var remoteAddress: String?
    public var remotePort: Int?

    public init(callingAETitle: String, calledAETitle: String, remoteAddress: String?, remotePort: Int? = nil) {
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
    }
}

/// Well-known SOP class UIDs used by the services (PS3.4).
public enum SOPClass {
    public static let verification = "1.2.840.10008.1.1"
    public static let patientRootFind = "1.2.840.10008.5.1.4.1.2.1.1"
    public static let patientRootMove = "1.2.840.10008.5.1.4.1.2.1.2"
    public static let patientRootGet = "1.2.840.10008.5.1.4.1.2.1.3"
    public static let studyRootFind = "1.2.840.10008.5.1.4.1.2.2.1"
    public static let studyRootMove = "1.2.840.10008.5.1.4.1.2.2.2"
    public static let studyRootGet = "1.2.840.10008.5.1.4.1.2.2.3"
    public static let modalityWorklistFind = "1.2.840.10008.5.1.4.31"

    /// The query/retrieve information models.
    public static let queryRetrieve: [String] = [patientRootFind, patientRootMove, patientRootGet,
                                                 studyRootFind, studyRootMove, studyRootGet]
}

/// How an acceptor answers an A-ASSOCIATE-RQ: which AE titles, SOP classes and transfer syntaxes it takes.
public struct AcceptancePolicy: Sendable {
    /// Our AE title.
    public var aeTitle: String
    /// Reject a request whose called AE title is not ours.
    public var checkCalledAETitle: Bool
    /// Abstract syntaxes accepted.
    public var abstractSyntaxes: Set<String>
    /// Accept any abstract syntax, known or not.
    public var acceptUnknownSOPClasses: Bool
    /// Transfer syntaxes accepted, in preference order.
    public var transferSyntaxes: [String]
    /// The largest P-DATA-TF variable field we receive (advertised to the peer); at least 4096.
    public var maximumPDULength: UInt32
    /// Decides whether the calling AE (title, address) may associate; true accepts.
    public var acceptCaller: @Sendable (AssociationInfo) async -> Bool

    public init(aeTitle: String, checkCalledAETitle: Bool = false,
                abstractSyntaxes: Set<String> = AcceptancePolicy.defaultAbstractSyntaxes,
                acceptUnknownSOPClasses: Bool = false,
                transferSyntaxes: [String] = AcceptancePolicy.defaultTransferSyntaxes,
                maximumPDULength: UInt32 = 16384,
                acceptCaller: @escaping @Sendable (AssociationInfo) async -> Bool = { _ in true }) {
        self.aeTitle = aeTitle
        self.checkCalledAETitle = checkCalledAETitle
        self.abstractSyntaxes = abstractSyntaxes
        self.acceptUnknownSOPClasses = acceptUnknownSOPClasses
        self.transferSyntaxes = transferSyntaxes
        self.maximumPDULength = max(maximumPDULength, 4096)
        self.acceptCaller = acceptCaller
    }

    /// Verification, every storage SOP class, and the query/retrieve models.
    public static var defaultAbstractSyntaxes: Set<String> {
        Set([SOPClass.verification] + SOPClass.queryRetrieve + UIDRegistry.storageSOPClasses.map(\.uid))
    }

    /// Every transfer syntax the DICOM module knows: encapsulated (compressed) ones first, so that a peer holding
    /// compressed data and also proposing uncompressed syntaxes sends its bytes as they are instead of decoding them;
    /// then explicit and implicit VR little endian, then the rest.
    public static var defaultTransferSyntaxes: [String] {
        let compressed = TransferSyntax.known.filter { $0.isEncapsulated && $0 != .encapsulatedUncompressed }.map(\.uid)
        let uncompressed = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
        let rest = TransferSyntax.known.map(\.uid).filter { !compressed.contains($0) && !uncompressed.contains($0) }
        return compressed + uncompressed + rest
    }

    /// The answer to each proposed presentation context: the first of our transfer syntaxes that the peer proposes.
    public func negotiate(_ proposed: [ProposedPresentationContext]) -> [AcceptedPresentationContext] {
        proposed.map { pc in
            guard acceptUnknownSOPClasses || abstractSyntaxes.contains(pc.abstractSyntax) else {
                return AcceptedPresentationContext(id: pc.id, result: .abstractSyntaxNotSupported,
                                                   transferSyntax: TransferSyntax.implicitVRLittleEndian.uid)
            }
            guard let ts = transferSyntaxes.first(where: pc.transferSyntaxes.contains) else {
                return AcceptedPresentationContext(id: pc.id, result: .transferSyntaxesNotSupported,
                                                   transferSyntax: TransferSyntax.implicitVRLittleEndian.uid)
            }
            return AcceptedPresentationContext(id: pc.id, result: .acceptance, transferSyntax: ts)
        }
    }

    /// The A-ASSOCIATE-AC or -RJ answering `request`.
    public func answer(_ request: AssociateRequest, info: AssociationInfo) async -> PDU {
        guard request.applicationContext == dicomApplicationContextName else {
            return .associateRJ(.applicationContextNotSupported)
        }
        guard request.protocolVersion & 1 == 1 else { return .associateRJ(.protocolVersionNotSupported) }
        if checkCalledAETitle && request.calledAETitle != aeTitle {
            return .associateRJ(.calledAETitleNotRecognized)
        }
        guard await acceptCaller(info) else { return .associateRJ(.callingAETitleNotRecognized) }
        let contexts = negotiate(request.presentationContexts)
        // Role selection: we take the roles the requestor proposes (needed for C-GET's C-STORE sub-operations).
        let roles = request.userInformation.roleSelections
        let ours = UserInformation(maximumLength: maximumPDULength, implementationClassUID: Pharos.implementationClassUID,
                                   implementationVersionName: Pharos.implementationVersionName,
                                   asynchronousOperations: request.userInformation.asynchronousOperations == nil ? nil : (1, 1),
                                   roleSelections: roles)
        return .associateAC(AssociateAccept(calledAETitle: request.calledAETitle, callingAETitle: request.callingAETitle,
                                            presentationContexts: contexts, userInformation: ours))
    }
}
