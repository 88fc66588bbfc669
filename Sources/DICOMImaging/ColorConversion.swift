/// Colour models to RGB: YCbCr (PS3.3 §C.7.6.3.1.2, full range) and palette lookup.
enum ColorConversion {
    /// YBR_FULL (and decoded 4:2:2/4:2:0) samples to RGB, in place, at the buffer's precision.
    static func ybrToRGB(_ buffer: inout PixelBuffer) {
        guard buffer.samplesPerPixel == 3 else { return }
        let maxValue = Double((1 << Swift.min(buffer.bitsStored, 16)) - 1)
        let half = Double(1 << (Swift.min(buffer.bitsStored, 16) - 1))
        buffer.samples.withUnsafeMutableBufferPointer { s in
            var i = 0
            while i + 2 < s.count {
                let y = Double(s[i]), cb = Double(s[i + 1]) - half, cr = Double(s[i + 2]) - half
                let r = y + 1.402 * cr
                let g = y - 0.344136 * cb - 0.714136 * cr
                let b = y + 1.772 * cb
                s[i] = Int32(Swift.max(0, Swift.min(maxValue, r.rounded())))
                s[i + 1] = Int32(Swift.max(0, Swift.min(maxValue, g.rounded())))
                s[i + 2] = Int32(Swift.max(0, Swift.min(maxValue, b.rounded())))
                i += 3
            }
        }
        buffer.photometricInterpretation = .rgb
    }

    /// Whether samples of this interpretation need YCbCr → RGB.
    static func isYBR(_ p: PhotometricInterpretation) -> Bool {
        p == .ybrFull || p == .ybrFull422 || p == .ybrPartial420 || p == .ybrICT || p == .ybrRCT
            || p == .other("YBR_PARTIAL_422")
    }

    /// Palette lookup to 8-bit RGB bytes.
    static func paletteToRGB8(_ buffer: PixelBuffer, _ lut: PaletteColorLUT) -> [UInt8] {
        let pixels = buffer.width * buffer.height
        var out = [UInt8](repeating: 0, count: pixels * 3)
        for i in 0 ..< pixels {
            let (r, g, b) = lut.rgb8(buffer.value(at: i * buffer.samplesPerPixel))
            out[3 * i] = r
            out[3 * i + 1] = g
            out[3 * i + 2] = b
        }
        return out
    }
}
