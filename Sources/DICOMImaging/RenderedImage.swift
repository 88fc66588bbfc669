/// An image ready for encoding: 8-bit grayscale or RGB, or 16-bit grayscale (Orthanc's pixel formats).
public struct RenderedImage: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        case grayscale8
        case rgb24
        /// Samples little endian in `bytes`.
        case grayscale16
        /// Two's complement samples little endian in `bytes`.
        case signedGrayscale16

        public var bytesPerPixel: Int {
            switch self {
            case .grayscale8: return 1
            case .rgb24: return 3
            case .grayscale16, .signedGrayscale16: return 2
            }
        }
    }

    public var width: Int
    public var height: Int
    public var format: Format
    /// Row-major pixels, no row padding.
    public var bytes: [UInt8]

    public init(width: Int, height: Int, format: Format, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
    }
}
