/// An accepted presentation context (PS3.8 §7.1.1.13): what its ID carries and in which transfer syntax.
public struct PresentationContext: Sendable, Equatable {
    public var id: UInt8
    public var abstractSyntax: String
    public var transferSyntax: String

    public init(id: UInt8, abstractSyntax: String, transferSyntax: String) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntax = transferSyntax
    }
}

/// An established association as either side sees it (PS3.8 §7.1).
public struct Association: Sendable {
    public var info: AssociationInfo
    /// Accepted presentation contexts by ID.
    public var contexts: [UInt8: PresentationContext]
    /// The largest P-DATA-TF variable field the peer receives (0: no limit).
    public var peerMaximumPDULength: UInt32
    /// Role selections accepted.
    public var roleSelections: [RoleSelection]
    public var peerImplementationClassUID: String
    public var peerImplementationVersionName: String?

    /// The first accepted context for `abstractSyntax`, preferring one in `transferSyntax` when given.
    public func context(for abstractSyntax: String, transferSyntax: String? = nil) -> PresentationContext? {
        let candidates = contexts.values.filter { $0.abstractSyntax == abstractSyntax }.sorted { $0.id < $1.id }
        if let transferSyntax, let exact = candidates.first(where: { $0.transferSyntax == transferSyntax }) {
            return exact
        }
        return candidates.first
    }

    init(request: AssociateRequest, accept: AssociateAccept, remoteAddress: String?, remotePort: Int?, isAcceptor: Bool) {
        info = AssociationInfo(callingAETitle: request.callingAETitle, calledAETitle: request.calledAETitle,
                               remoteAddress: remoteAddress, remotePort: remotePort)
        var contexts: [UInt8: PresentationContext] = [:]
        let proposed = Dictionary(request.presentationContexts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for pc in accept.presentationContexts where pc.result == .acceptance {
            guard let abstract = proposed[pc.id]?.abstractSyntax else { continue }
            contexts[pc.id] = PresentationContext(id: pc.id, abstractSyntax: abstract, transferSyntax: pc.transferSyntax)
        }
        self.contexts = contexts
        let peerInfo = isAcceptor ? request.userInformation : accept.userInformation
        peerMaximumPDULength = peerInfo.maximumLength
        roleSelections = accept.userInformation.roleSelections
        peerImplementationClassUID = peerInfo.implementationClassUID
        peerImplementationVersionName = peerInfo.implementationVersionName
    }
}
