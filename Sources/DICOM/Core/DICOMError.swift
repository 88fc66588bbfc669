/// Every failure of the `DICOM` module: what went wrong, and where in the input it was found.
public struct DICOMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a case a caller can act on.
    public enum Code: String, Sendable, Equatable {
        case notDICOM
        case truncated
        case lengthExceedsData
        case invalidVR
        case invalidItemTag
        case unbalancedDelimiter
        case nestingTooDeep
        case limitExceeded
        case unsupportedTransferSyntax
        case deflateFailed
        case invalidValue
        case characterSetUnsupported
        case writeFailed
        case ioError
    }

    public var code: Code
    public var reason: String
    /// Byte offset in the input (after inflation for deflated data sets) where the problem was met.
    public var offset: Int?
    /// The data element being read, when there was one.
    public var tag: Tag?

    public init(_ code: Code, _ reason: String, offset: Int? = nil, tag: Tag? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.tag = tag
    }

    public var description: String {
        var text = reason
        if let tag { text += " (element \(tag.hex(separator: ",", uppercase: true)))" }
        if let offset { text += " at byte offset \(offset)" }
        return text
    }

    /// Equality on the code only, so tests can match "a truncation" without its message.
    public static func == (lhs: DICOMError, rhs: DICOMError) -> Bool { lhs.code == rhs.code }
}
