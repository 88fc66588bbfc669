import DICOM

/// An image instance's pixel data with the attributes needed to read it: frames as stored, and decoded.
/// A value type holding immutable bytes, so frames may be decoded from any number of threads at once.
public struct DICOMImage: Sendable {
    public let pixel: ImagePixelDescription
    public let transferSyntax: TransferSyntax
    /// Modality LUT, VOI window and palette attributes used by rendering.
    public let presentation: PresentationAttributes
    private let storage: Storage

    private enum Storage: Sendable {
        case native([UInt8])
        case encapsulated(EncapsulatedPixelData, offsets: [UInt64]?, lengths: [UInt64]?)
    }

    /// The image of a file read with its pixel data. When a file's data set uses the other VR encoding than declared,
    /// the reader reports a native syntax; the declared one still names the codec of encapsulated pixel data.
    public init(file: DICOMFile) throws(ImagingError) {
        var syntax = file.transferSyntax
        if !syntax.isEncapsulated, file.dataSet[.pixelData]?.fragments != nil,
           let declared = file.fileMetaInformation.string(.transferSyntaxUID) {
            syntax = TransferSyntax.lookupOrPrivate(declared)
        }
        try self.init(dataSet: file.dataSet, transferSyntax: syntax)
    }

    /// Reads the image attributes of `dataSet`, whose Pixel Data must have been loaded.
    public init(dataSet: DataSet, transferSyntax: TransferSyntax) throws(ImagingError) {
        guard let element = dataSet[.pixelData] else {
            if dataSet.contains(.floatPixelData) || dataSet.contains(.doubleFloatPixelData) {
                throw ImagingError(.unsupported, "Float and Double Float Pixel Data are not supported")
            }
            throw ImagingError(.noPixelData, "the instance has no Pixel Data (7FE0,0010)")
        }
        pixel = try ImagePixelDescription(dataSet: dataSet)
        self.transferSyntax = transferSyntax
        presentation = PresentationAttributes(dataSet: dataSet)
        switch element.value {
        case .bytes(let bytes):
            guard !bytes.isEmpty else { throw ImagingError(.noPixelData, "Pixel Data (7FE0,0010) is empty") }
            storage = .native(transferSyntax.isBigEndian
                ? Self.littleEndianSamples(bytes, vr: element.vr, bitsAllocated: pixel.bitsAllocated) : bytes)
        case .fragments(let fragments):
            func words(_ tag: Tag) -> [UInt64]? {
                guard let b = dataSet[tag]?.bytes, !b.isEmpty, b.count % 8 == 0 else { return nil }
                return stride(from: 0, to: b.count, by: 8).map { o in
                    (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(b[o + $1]) << (8 * $1) }
                }
            }
            storage = .encapsulated(fragments, offsets: words(.extendedOffsetTable),
                                    lengths: words(.extendedOffsetTableLengths))
        case .sequence:
            throw ImagingError(.corrupt, "Pixel Data (7FE0,0010) is a sequence")
        }
    }

    /// Big endian pixel data as the reader left it (OW words swapped, OB untouched) to little endian samples
    /// of Bits Allocated, as pydicom and DCMTK read them.
    static func littleEndianSamples(_ bytes: [UInt8], vr: VR, bitsAllocated: Int) -> [UInt8] {
        var out = bytes
        let swappedWords = vr == .OW
        switch (bitsAllocated, swappedWords) {
        case (16, false):
            for i in stride(from: 0, to: out.count - 1, by: 2) { out.swapAt(i, i + 1) }
        case (32, true):
            for i in stride(from: 0, to: out.count - 3, by: 4) { out.swapAt(i, i + 2); out.swapAt(i + 1, i + 3) }
        case (32, false):
            for i in stride(from: 0, to: out.count - 3, by: 4) { out.swapAt(i, i + 3); out.swapAt(i + 1, i + 2) }
        default:
            break
        }
        return out
    }

    public var numberOfFrames: Int { pixel.numberOfFrames }
    public var rows: Int { pixel.rows }
    public var columns: Int { pixel.columns }
    public var samplesPerPixel: Int { pixel.samplesPerPixel }
    public var bitsAllocated: Int { pixel.bitsAllocated }
    public var bitsStored: Int { pixel.bitsStored }
    public var isSigned: Bool { pixel.isSigned }
    public var photometricInterpretation: PhotometricInterpretation { pixel.photometricInterpretation }
    /// Pixel data is in fragments (a compressed transfer syntax).
    public var isEncapsulated: Bool {
        if case .encapsulated = storage { return true }
        return false
    }

    /// The bytes of frame `index` (0-based) as stored: a slice of native pixel data, or the encapsulated frame.
    public func rawFrame(_ index: Int) throws(ImagingError) -> [UInt8] {
        switch storage {
        case .native(let bytes):
            return try NativeFrameDecoder.rawFrame(index, of: bytes, description: pixel)
        case .encapsulated(let fragments, let offsets, let lengths):
            return try EncapsulatedFrames.frame(index, of: fragments, frameCount: pixel.numberOfFrames,
                                                extendedOffsets: offsets, extendedLengths: lengths)
        }
    }

    /// Decodes frame `index` (0-based) to samples.
    public func decodeFrame(_ index: Int) throws(ImagingError) -> PixelBuffer {
        let bytes = try rawFrame(index)
        guard case .encapsulated = storage else { return try NativeFrameDecoder.decode(bytes, description: pixel) }
        let decoded = try FrameCodec.decode(bytes, transferSyntax: transferSyntax, description: pixel)
        return try conform(decoded)
    }

    /// Checks a codec's output against the data set and gives it the data set's signedness and colour model.
    private func conform(_ decoded: PixelBuffer) throws(ImagingError) -> PixelBuffer {
        var buffer = decoded
        guard buffer.width == pixel.columns, buffer.height == pixel.rows else {
            throw ImagingError(.corrupt, "the codestream is \(buffer.width) x \(buffer.height), the data set says \(pixel.columns) x \(pixel.rows)")
        }
        guard buffer.samplesPerPixel == pixel.samplesPerPixel else {
            throw ImagingError(.corrupt, "the codestream has \(buffer.samplesPerPixel) components, the data set says \(pixel.samplesPerPixel)")
        }
        // Codecs give unsigned samples; Pixel Representation 1 means they are two's complement at the stored precision.
        if pixel.isSigned && !buffer.isSigned && buffer.bitsStored < 32 {
            let bits = buffer.bitsStored
            let signBit = Int32(1) << Int32(bits - 1), span = Int32(1) << Int32(bits)
            buffer.samples.withUnsafeMutableBufferPointer { s in
                for i in s.indices where s[i] & signBit != 0 { s[i] -= span }
            }
            buffer.isSigned = true
        }
        if buffer.samplesPerPixel == 1 || !buffer.photometricInterpretation.isConverted(from: pixel.photometricInterpretation) {
            buffer.photometricInterpretation = pixel.photometricInterpretation
            if pixel.photometricInterpretation == .ybrFull422 || pixel.photometricInterpretation == .ybrPartial420 {
                buffer.photometricInterpretation = .ybrFull  // decoders upsample the chroma
            }
        }
        return buffer
    }
}

extension PhotometricInterpretation {
    /// A codec reporting RGB for a YBR data set has converted the colours itself.
    func isConverted(from stored: PhotometricInterpretation) -> Bool {
        self == .rgb && stored != .rgb && !stored.isMonochrome && stored != .paletteColor
    }
}
