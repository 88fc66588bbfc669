/// An A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4): result, source and reason, as numbers defined by Table 9-21.
public struct AssociateReject: Sendable, Equatable {
    /// 1: rejected permanently, 2: rejected transiently.
    public var result: UInt8
    /// 1: service user, 2: service provider (ACSE), 3: service provider (presentation).
    public var source: UInt8
    public var reason: UInt8

    public init(result: UInt8, source: UInt8, reason: UInt8) {
        self.result = result
        self.source = source
        self.reason = reason
    }

    /// Rejected by the service user: no reason given.
    public static let noReasonGiven = AssociateReject(result: 1, source: 1, reason: 1)
    /// Rejected by the service user: the application context is not supported.
    public static let applicationContextNotSupported = AssociateReject(result: 1, source: 1, reason: 2)
    /// Rejected by the service user: the calling AE title is not recognised.
    public static let callingAETitleNotRecognized = AssociateReject(result: 1, source: 1, reason: 3)
    /// Rejected by the service user: the called AE title is not recognised.
    public static let calledAETitleNotRecognized = AssociateReject(result: 1, source: 1, reason: 7)
    /// Rejected by the ACSE provider: the protocol version is not supported.
    public static let protocolVersionNotSupported = AssociateReject(result: 1, source: 2, reason: 2)
    /// Transient rejection by the presentation provider: local limit exceeded (too many associations).
    public static let localLimitExceeded = AssociateReject(result: 2, source: 3, reason: 2)

    /// A sentence naming the rejection.
    public var explanation: String {
        let permanence = result == 2 ? "transiently" : "permanently"
        let why: String
        switch (source, reason) {
        case (1, 2): why = "application context name not supported"
        case (1, 3): why = "calling AE title not recognized"
        case (1, 7): why = "called AE title not recognized"
        case (2, 2): why = "protocol version not supported"
        case (3, 1): why = "temporary congestion"
        case (3, 2): why = "local limit exceeded"
        default: why = "no reason given"
        }
        return "association rejected \(permanence) (source \(source), reason \(reason): \(why))"
    }
}

/// An A-ABORT PDU (PS3.8 §9.3.8).
public struct Abort: Sendable, Equatable {
    /// 0: service user, 2: service provider.
    public var source: UInt8
    /// For source 2 (Table 9-26): 0 not specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU
    /// parameter, 5 unexpected PDU parameter, 6 invalid PDU parameter value.
    public var reason: UInt8

    public init(source: UInt8, reason: UInt8) {
        self.source = source
        self.reason = reason
    }

    /// An abort requested by the service user.
    public static let byUser = Abort(source: 0, reason: 0)
    /// The provider met a PDU it cannot parse.
    public static let unrecognizedPDU = Abort(source: 2, reason: 1)
    /// The provider met a PDU the association state does not allow.
    public static let unexpectedPDU = Abort(source: 2, reason: 2)
    /// The provider met an invalid PDU parameter value (e.g. a length out of range).
    public static let invalidParameter = Abort(source: 2, reason: 6)
}
