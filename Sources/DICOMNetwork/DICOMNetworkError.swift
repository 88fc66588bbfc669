/// Every failure of the `DICOMNetwork` module: a case a caller can act on and a message saying what happened.
public struct DICOMNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// A PDU or item is malformed (truncated, wrong lengths, unknown type where one is required).
        case malformedPDU
        /// A PDU is longer than the maximum this side accepts.
        case pduTooLong
        /// A PDU arrived that the association state does not allow.
        case unexpectedPDU
        /// A DIMSE command set or message is malformed.
        case malformedMessage
        /// A data set sent in P-DATA is larger than allowed.
        case dataSetTooLarge
        /// The peer rejected the association.
        case associationRejected
        /// The peer (or this side) aborted the association.
        case associationAborted
        /// No presentation context was accepted for what must be sent.
        case noPresentationContext
        /// Connecting, or waiting for the peer, took longer than allowed.
        case timeout
        /// The connection closed before the exchange completed.
        case connectionClosed
        /// The peer could not be reached (refused, unreachable, unknown host).
        case cannotConnect
        /// The peer answered with an unexpected DIMSE status or message.
        case unexpectedResponse
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    /// Equality on the code only, so tests can match the kind of failure without its message.
    public static func == (lhs: DICOMNetworkError, rhs: DICOMNetworkError) -> Bool { lhs.code == rhs.code }
}
