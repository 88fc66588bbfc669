import DICOM

/// The Image Pixel module attributes (PS3.3 §C.7.6.3) that say how to read Pixel Data, checked for sanity.
public struct ImagePixelDescription: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var samplesPerPixel: Int
    public var bitsAllocated: Int
    public var bitsStored: Int
    public var highBit: Int
    /// Pixel Representation 1: two's complement samples.
    public var isSigned: Bool
    /// Planar Configuration 1: colour planes one after the other (R…R G…G B…B) instead of interleaved.
    public var isPlanar: Bool
    public var photometricInterpretation: PhotometricInterpretation
    public var numberOfFrames: Int

    /// Most frames accepted in one instance, and the largest frame in samples: beyond both, the data is not trusted.
    static let maxFrames = 1_000_000
    static let maxSamplesPerFrame = 1 << 28

    public init(rows: Int, columns: Int, samplesPerPixel: Int, bitsAllocated: Int, bitsStored: Int, highBit: Int,
                isSigned: Bool, isPlanar: Bool, photometricInterpretation: PhotometricInterpretation,
                numberOfFrames: Int) {
        self.rows = rows
        self.columns = columns
        self.samplesPerPixel = samplesPerPixel
        self.bitsAllocated = bitsAllocated
        self.bitsStored = bitsStored
        self.highBit = highBit
        self.isSigned = isSigned
        self.isPlanar = isPlanar
        self.photometricInterpretation = photometricInterpretation
        self.numberOfFrames = numberOfFrames
    }

    /// Reads and checks the attributes of `dataSet`.
    public init(dataSet: DataSet) throws(ImagingError) {
        func required(_ tag: Tag, _ name: String) throws(ImagingError) -> Int {
            guard let value = dataSet.integer(tag), let int = Int(exactly: value) else {
                throw ImagingError(.corrupt, "\(name) (\(tag.hex(separator: ",", uppercase: true))) is missing or not a number")
            }
            return int
        }
        rows = try required(Tag(0x0028, 0x0010), "Rows")
        columns = try required(Tag(0x0028, 0x0011), "Columns")
        bitsAllocated = try required(.bitsAllocated, "Bits Allocated")
        samplesPerPixel = dataSet.integer(Tag(0x0028, 0x0002)).flatMap { Int(exactly: $0) } ?? 1
        bitsStored = dataSet.integer(Tag(0x0028, 0x0101)).flatMap { Int(exactly: $0) } ?? bitsAllocated
        highBit = dataSet.integer(Tag(0x0028, 0x0102)).flatMap { Int(exactly: $0) } ?? (bitsStored - 1)
        isSigned = dataSet.integer(.pixelRepresentation) == 1
        isPlanar = samplesPerPixel > 1 && dataSet.integer(Tag(0x0028, 0x0006)) == 1
        let defaultInterpretation = samplesPerPixel == 3 ? "RGB" : "MONOCHROME2"
        photometricInterpretation = PhotometricInterpretation(dataSet.string(Tag(0x0028, 0x0004)) ?? defaultInterpretation)
        // Number of Frames is IS; some writers leave it empty or zero for a single frame.
        let frames = dataSet.integer(.numberOfFrames).flatMap { Int(exactly: $0) } ?? 1
        numberOfFrames = frames <= 0 ? 1 : frames
        try validate()
    }

    func validate() throws(ImagingError) {
        guard rows > 0, columns > 0, rows <= 65535, columns <= 65535 else {
            throw ImagingError(.corrupt, "Rows and Columns must be 1…65535 (found \(rows) x \(columns))")
        }
        guard samplesPerPixel == 1 || samplesPerPixel == 3 else {
            throw ImagingError(.unsupported, "Samples per Pixel \(samplesPerPixel) is not supported (1 or 3)")
        }
        guard [1, 8, 16, 32].contains(bitsAllocated) else {
            throw ImagingError(.unsupported, "Bits Allocated \(bitsAllocated) is not supported (1, 8, 16 or 32)")
        }
        if bitsStored < 1 || bitsStored > bitsAllocated {
            throw ImagingError(.corrupt, "Bits Stored \(bitsStored) does not fit Bits Allocated \(bitsAllocated)")
        }
        if highBit < bitsStored - 1 || highBit >= bitsAllocated {
            throw ImagingError(.corrupt, "High Bit \(highBit) does not fit Bits Stored \(bitsStored) and Bits Allocated \(bitsAllocated)")
        }
        guard numberOfFrames <= Self.maxFrames else {
            throw ImagingError(.corrupt, "Number of Frames \(numberOfFrames) exceeds the limit of \(Self.maxFrames)")
        }
        guard samplesPerFrame <= Self.maxSamplesPerFrame else {
            throw ImagingError(.unsupported, "a frame of \(rows) x \(columns) x \(samplesPerPixel) samples exceeds the decoding limit")
        }
    }

    public var pixelsPerFrame: Int { rows * columns }
    public var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Bits one native frame occupies (YBR_FULL_422 stores two chroma samples per two pixels).
    public var bitsPerNativeFrame: Int {
        let samples = photometricInterpretation == .ybrFull422 && samplesPerPixel == 3
            ? rows * columns * 2 : samplesPerFrame
        return samples * bitsAllocated
    }
}
