/// Reads native (uncompressed) frames, PS3.5 §8.1: any Bits Allocated, Bits Stored/High Bit masking, signed
/// samples, planar configuration and YBR_FULL_422 horizontal subsampling.
enum NativeFrameDecoder {
    /// The bytes of frame `index` in native pixel data; 1-bit frames that do not start on a byte are realigned.
    static func rawFrame(_ index: Int, of data: [UInt8], description d: ImagePixelDescription) throws(ImagingError) -> [UInt8] {
        guard index >= 0, index < d.numberOfFrames else {
            throw ImagingError(.noSuchFrame, "frame \(index) does not exist (the image has \(d.numberOfFrames))")
        }
        let frameBits = d.bitsPerNativeFrame
        let startBit = index * frameBits
        let byteCount = (frameBits + 7) / 8
        let startByte = startBit / 8
        let shift = startBit % 8
        let end = (startBit + frameBits + 7) / 8
        guard end <= data.count else {
            throw ImagingError(.corrupt, "pixel data holds \(data.count) bytes, frame \(index) needs \(end)")
        }
        if shift == 0 { return Array(data[startByte ..< startByte + byteCount]) }
        var out = [UInt8](repeating: 0, count: byteCount)
        for i in 0 ..< byteCount {
            let lo = data[startByte + i] >> shift
            let hi = startByte + i + 1 < data.count ? data[startByte + i + 1] << (8 - shift) : 0
            out[i] = lo | hi
        }
        return out
    }

    /// Decodes one native frame's bytes to samples.
    static func decode(_ bytes: [UInt8], description d: ImagePixelDescription) throws(ImagingError) -> PixelBuffer {
        guard bytes.count * 8 >= d.bitsPerNativeFrame else {
            throw ImagingError(.corrupt, "a frame needs \((d.bitsPerNativeFrame + 7) / 8) bytes, only \(bytes.count) are there")
        }
        if d.photometricInterpretation == .ybrFull422 && d.samplesPerPixel == 3 {
            return try decodeYBR422(bytes, d)
        }
        let count = d.samplesPerFrame
        var samples = [Int32](repeating: 0, count: count)
        let shift = d.highBit + 1 - d.bitsStored
        let mask: UInt32 = d.bitsStored >= 32 ? .max : (1 << UInt32(d.bitsStored)) - 1
        let signBit: UInt32 = d.bitsStored >= 32 ? 0 : 1 << UInt32(d.bitsStored - 1)
        let signed = d.isSigned
        // Masking and sign extension of the stored bits (PS3.5 §8.1.1).
        @inline(__always) func fit(_ raw: UInt32) -> Int32 {
            var v = (raw >> UInt32(shift)) & mask
            if signed, signBit != 0, v & signBit != 0 { v |= ~mask }
            return Int32(bitPattern: v)
        }
        bytes.withUnsafeBufferPointer { src in
            samples.withUnsafeMutableBufferPointer { dst in
                switch d.bitsAllocated {
                case 1:
                    for i in 0 ..< count { dst[i] = Int32((src[i >> 3] >> UInt8(i & 7)) & 1) }
                case 8:
                    for i in 0 ..< count { dst[i] = fit(UInt32(src[i])) }
                case 16:
                    for i in 0 ..< count { dst[i] = fit(UInt32(src[2 * i]) | UInt32(src[2 * i + 1]) << 8) }
                default:
                    for i in 0 ..< count {
                        let o = 4 * i
                        dst[i] = fit(UInt32(src[o]) | UInt32(src[o + 1]) << 8 | UInt32(src[o + 2]) << 16 | UInt32(src[o + 3]) << 24)
                    }
                }
            }
        }
        if d.isPlanar { samples = interleave(samples, planes: d.samplesPerPixel, pixels: d.pixelsPerFrame) }
        return PixelBuffer(width: d.columns, height: d.rows, samplesPerPixel: d.samplesPerPixel,
                           bitsStored: d.bitsAllocated == 1 ? 1 : d.bitsStored, isSigned: d.isSigned,
                           photometricInterpretation: d.photometricInterpretation, samples: samples)
    }

    /// Planes R…R G…G B…B to interleaved R G B.
    static func interleave<T>(_ planar: [T], planes: Int, pixels: Int) -> [T] {
        var out = planar
        for p in 0 ..< planes {
            for i in 0 ..< pixels { out[i * planes + p] = planar[p * pixels + i] }
        }
        return out
    }

    /// YBR_FULL_422 stores Y1 Y2 Cb Cr for each pair of pixels; expand to Y Cb Cr per pixel (YBR_FULL).
    private static func decodeYBR422(_ bytes: [UInt8], _ d: ImagePixelDescription) throws(ImagingError) -> PixelBuffer {
        guard d.bitsAllocated == 8, d.columns % 2 == 0 else {
            throw ImagingError(.unsupported, "native YBR_FULL_422 is supported with 8 bits and an even number of columns")
        }
        var samples = [Int32](repeating: 0, count: d.samplesPerFrame)
        var o = 0, s = 0
        for _ in 0 ..< d.pixelsPerFrame / 2 {
            let y1 = Int32(bytes[o]), y2 = Int32(bytes[o + 1]), cb = Int32(bytes[o + 2]), cr = Int32(bytes[o + 3])
            samples[s] = y1; samples[s + 1] = cb; samples[s + 2] = cr
            samples[s + 3] = y2; samples[s + 4] = cb; samples[s + 5] = cr
            o += 4
            s += 6
        }
        return PixelBuffer(width: d.columns, height: d.rows, samplesPerPixel: 3, bitsStored: 8, isSigned: false,
                           photometricInterpretation: .ybrFull, samples: samples)
    }
}
