/// An image decoded from a JPEG stream (ITU-T T.81): component samples as coded, interleaved, row-major.
public struct JPEGDecodedImage: Sendable {
    public var width: Int
    public var height: Int
    public var components: Int
    /// Bits per sample, 2...16.
    public var precision: Int
    /// `width × height × components` samples, components interleaved; subsampled components are upsampled.
    public var samples: [UInt16]
    /// The transform byte of an Adobe APP14 segment (0 none, 1 YCbCr, 2 YCCK), nil when there was none.
    public var adobeTransform: Int?
    /// A JFIF APP0 segment was present (the components are then YCbCr by definition).
    public var hasJFIF: Bool

    public init(width: Int, height: Int, components: Int, precision: Int, samples: [UInt16],
                adobeTransform: Int? = nil, hasJFIF: Bool = false) {
        self.width = width
        self.height = height
        self.components = components
        self.precision = precision
        self.samples = samples
        self.adobeTransform = adobeTransform
        self.hasJFIF = hasJFIF
    }
}
