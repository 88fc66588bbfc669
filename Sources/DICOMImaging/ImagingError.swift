/// Every failure of the imaging module, with a code the REST layer maps to an HTTP status.
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a case a caller can act on.
    public enum Code: String, Sendable, Equatable {
        /// The transfer syntax, photometric interpretation or pixel layout is not one this module decodes (415).
        case unsupported
        /// The pixel data or an attribute describing it is invalid or truncated (400).
        case corrupt
        /// The data set has no pixel data (400).
        case noPixelData
        /// The frame number is outside the image (404).
        case noSuchFrame
        /// An internal failure, e.g. memory or an encoder error (500).
        case internalError
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    /// The HTTP status the REST layer answers with.
    public var httpStatus: Int {
        switch code {
        case .unsupported: return 415
        case .corrupt, .noPixelData: return 400
        case .noSuchFrame: return 404
        case .internalError: return 500
        }
    }

    /// Equality on the code only, so tests can match "a corrupt stream" without its message.
    public static func == (lhs: ImagingError, rhs: ImagingError) -> Bool { lhs.code == rhs.code }
}
