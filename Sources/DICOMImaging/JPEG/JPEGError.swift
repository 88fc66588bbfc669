/// Why a JPEG stream could not be decoded: unsupported coding process, malformed or truncated data.
public struct JPEGError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }

    init(_ description: String, offset: Int? = nil) {
        if let offset {
            self.description = "JPEG: \(description) (at byte \(offset))"
        } else {
            self.description = "JPEG: \(description)"
        }
    }
}
