/// The DIMSE-C command fields (PS3.7 §9.3, Table E.1-1).
public enum CommandField: UInt16, Sendable {
    case cStoreRQ = 0x0001
    case cStoreRSP = 0x8001
    case cGetRQ = 0x0010
    case cGetRSP = 0x8010
    case cFindRQ = 0x0020
    case cFindRSP = 0x8020
    case cMoveRQ = 0x0021
    case cMoveRSP = 0x8021
    case cEchoRQ = 0x0030
    case cEchoRSP = 0x8030
    case cCancelRQ = 0x0FFF

    /// True for a response.
    public var isResponse: Bool { rawValue & 0x8000 != 0 }
}

/// A DIMSE status (PS3.7 Annex C): 0x0000 success, 0xFF00/0xFF01 pending, 0xFE00 cancel, 0xB… warning, else failure.
public struct DIMSEStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let success = DIMSEStatus(0x0000)
    public static let pending = DIMSEStatus(0xFF00)
    public static let pendingWithWarnings = DIMSEStatus(0xFF01)
    public static let cancel = DIMSEStatus(0xFE00)
    /// Some sub-operations failed (C-MOVE, C-GET) or coercion happened (C-STORE).
    public static let warningSubOperationsFailed = DIMSEStatus(0xB000)
    public static let outOfResources = DIMSEStatus(0xA700)
    /// C-MOVE: out of resources, unable to perform sub-operations.
    public static let outOfResourcesSubOperations = DIMSEStatus(0xA702)
    /// C-MOVE: move destination unknown.
    public static let moveDestinationUnknown = DIMSEStatus(0xA801)
    /// Data set does not match SOP class / identifier does not match SOP class.
    public static let dataSetDoesNotMatchSOPClass = DIMSEStatus(0xA900)
    /// Unable to process.
    public static let unableToProcess = DIMSEStatus(0xC000)
    /// SOP class not supported.
    public static let sopClassNotSupported = DIMSEStatus(0x0122)

    public var isSuccess: Bool { rawValue == 0 }
    public var isPending: Bool { rawValue == 0xFF00 || rawValue == 0xFF01 }
    public var isWarning: Bool { rawValue & 0xF000 == 0xB000 || rawValue == 0x0001 || rawValue == 0x0107 || rawValue == 0x0116 }
    public var isFailure: Bool { !isSuccess && !isPending && !isWarning && rawValue != 0xFE00 }

    public var description: String { hex16(rawValue) }
}
