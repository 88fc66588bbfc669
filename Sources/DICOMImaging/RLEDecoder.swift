/// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte plane,
/// most significant byte plane first for each sample.
enum RLEDecoder {
    static func decode(_ frame: [UInt8], description d: ImagePixelDescription) throws(ImagingError) -> PixelBuffer {
        guard d.bitsAllocated % 8 == 0 else {
            throw ImagingError(.unsupported, "RLE Lossless with Bits Allocated \(d.bitsAllocated) is not supported")
        }
        let bytesPerSample = d.bitsAllocated / 8
        let segmentCount = d.samplesPerPixel * bytesPerSample
        guard frame.count >= 64 else { throw ImagingError(.corrupt, "RLE frame is shorter than its 64-byte header") }
        func word(_ i: Int) -> Int {
            Int(UInt32(frame[i]) | UInt32(frame[i + 1]) << 8 | UInt32(frame[i + 2]) << 16 | UInt32(frame[i + 3]) << 24)
        }
        let declared = word(0)
        guard declared == segmentCount else {
            throw ImagingError(.corrupt, "RLE header declares \(declared) segments, the image needs \(segmentCount)")
        }
        let offsets = (0 ..< segmentCount).map { word(4 + 4 * $0) }
        let pixels = d.pixelsPerFrame
        var planes = [UInt8](repeating: 0, count: pixels * segmentCount)
        for s in 0 ..< segmentCount {
            let start = offsets[s]
            let end = s + 1 < segmentCount ? offsets[s + 1] : frame.count
            guard start >= 64, start <= end, end <= frame.count else {
                throw ImagingError(.corrupt, "RLE segment \(s) offsets \(start)…\(end) fall outside the \(frame.count)-byte frame")
            }
            try unpack(frame, from: start, to: end, into: &planes, at: s * pixels, count: pixels, segment: s)
        }
        // Recombine byte planes: sample p's byte k (0 = most significant) is in segment p * bytesPerSample + k.
        var samples = [Int32](repeating: 0, count: pixels * d.samplesPerPixel)
        let shift = d.highBit + 1 - d.bitsStored
        let mask: UInt32 = d.bitsStored >= 32 ? .max : (1 << UInt32(d.bitsStored)) - 1
        let signBit: UInt32 = d.bitsStored >= 32 ? 0 : 1 << UInt32(d.bitsStored - 1)
        for p in 0 ..< d.samplesPerPixel {
            for i in 0 ..< pixels {
                var v: UInt32 = 0
                for k in 0 ..< bytesPerSample { v = v << 8 | UInt32(planes[(p * bytesPerSample + k) * pixels + i]) }
                v = (v >> UInt32(shift)) & mask
                if d.isSigned, signBit != 0, v & signBit != 0 { v |= ~mask }
                samples[i * d.samplesPerPixel + p] = Int32(bitPattern: v)
            }
        }
        return PixelBuffer(width: d.columns, height: d.rows, samplesPerPixel: d.samplesPerPixel, bitsStored: d.bitsStored,
                           isSigned: d.isSigned, photometricInterpretation: d.photometricInterpretation, samples: samples)
    }

    /// PackBits: a count byte n, then n+1 literal bytes (n ≥ 0) or one byte repeated 1−n times (n < 0; −128 is a no-op).
    private static func unpack(_ src: [UInt8], from start: Int, to end: Int, into out: inout [UInt8], at base: Int,
                               count: Int, segment: Int) throws(ImagingError) {
        var i = start, o = 0
        while o < count, i < end {
            let n = Int(Int8(bitPattern: src[i]))
            i += 1
            if n >= 0 {
                let run = n + 1
                guard i + run <= end, o + run <= count else {
                    throw ImagingError(.corrupt, "RLE segment \(segment) has a literal run past its end")
                }
                for k in 0 ..< run { out[base + o + k] = src[i + k] }
                i += run
                o += run
            } else if n != -128 {
                let run = 1 - n
                guard i < end, o + run <= count else {
                    throw ImagingError(.corrupt, "RLE segment \(segment) has a repeat run past its end")
                }
                let value = src[i]
                for k in 0 ..< run { out[base + o + k] = value }
                i += 1
                o += run
            }
        }
        guard o == count else {
            throw ImagingError(.corrupt, "RLE segment \(segment) decodes to \(o) bytes, \(count) expected")
        }
    }
}
