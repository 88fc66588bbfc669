/// The PDU types of the upper layer protocol (PS3.8 §9.3).
public enum PDUType: UInt8, Sendable, CaseIterable {
    case associateRQ = 0x01
    case associateAC = 0x02
    case associateRJ = 0x03
    case dataTF = 0x04
    case releaseRQ = 0x05
    case releaseRP = 0x06
    case abort = 0x07
}

/// One upper layer PDU (PS3.8 §9.3).
public enum PDU: Sendable, Equatable {
    case associateRQ(AssociateRequest)
    case associateAC(AssociateAccept)
    case associateRJ(AssociateReject)
    case dataTF([PDV])
    case releaseRQ
    case releaseRP
    case abort(Abort)

    /// The type byte of this PDU.
    public var type: PDUType {
        switch self {
        case .associateRQ: .associateRQ
        case .associateAC: .associateAC
        case .associateRJ: .associateRJ
        case .dataTF: .dataTF
        case .releaseRQ: .releaseRQ
        case .releaseRP: .releaseRP
        case .abort: .abort
        }
    }
}
