/// One decoded frame: samples interleaved per pixel (R G B R G B … for colour), row-major.
public struct PixelBuffer: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var samplesPerPixel: Int
    /// Significant bits per sample (Bits Stored, or the codec's precision).
    public var bitsStored: Int
    public var isSigned: Bool
    /// How the samples read now (a decoder may have converted YBR to RGB, or 4:2:2 to full resolution).
    public var photometricInterpretation: PhotometricInterpretation
    /// Sample values; 32-bit unsigned samples keep their bit pattern (use `value(at:)`).
    public var samples: [Int32]

    public init(width: Int, height: Int, samplesPerPixel: Int, bitsStored: Int, isSigned: Bool,
                photometricInterpretation: PhotometricInterpretation, samples: [Int32]) {
        self.width = width
        self.height = height
        self.samplesPerPixel = samplesPerPixel
        self.bitsStored = bitsStored
        self.isSigned = isSigned
        self.photometricInterpretation = photometricInterpretation
        self.samples = samples
    }

    /// Samples hold UInt32 bit patterns that must not be read as signed.
    public var isUnsigned32: Bool { !isSigned && bitsStored > 31 }

    /// The value of sample `index`, whatever its width and signedness.
    @inlinable public func value(at index: Int) -> Int64 {
        isUnsigned32 ? Int64(UInt32(bitPattern: samples[index])) : Int64(samples[index])
    }

    /// Smallest and largest sample value (0, 0 when empty).
    public func valueRange() -> (min: Int64, max: Int64) {
        guard !samples.isEmpty else { return (0, 0) }
        if isUnsigned32 {
            var lo = UInt32.max, hi = UInt32.min
            for s in samples { let v = UInt32(bitPattern: s); lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
            return (Int64(lo), Int64(hi))
        }
        var lo = Int32.max, hi = Int32.min
        for s in samples { lo = Swift.min(lo, s); hi = Swift.max(hi, s) }
        return (Int64(lo), Int64(hi))
    }
}
