import CJPEGTurbo

/// 8-bit JPEG (baseline, extended 8-bit) through Debian's libjpeg-turbo, errors recovered in the C shim.
enum LibJPEGCodec {
    /// Decodes an 8-bit stream. With `keepRGB`, a three-component stream without JFIF/Adobe markers is taken as RGB
    /// (DICOM writers store RGB that way when Photometric Interpretation is RGB) and not colour-converted.
    static func decode(_ data: [UInt8], keepRGB: Bool, maxBytes: Int) throws(ImagingError) -> PixelBuffer {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var info = pharos_jpeg_info()
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBufferPointer { src in
            message.withUnsafeMutableBufferPointer { msg in
                pharos_jpeg_decode(src.baseAddress, src.count,
                                   keepRGB ? Int32(PHAROS_JPEG_COLOR_RGB_UNLESS_MARKED) : Int32(PHAROS_JPEG_COLOR_AUTO),
                                   maxBytes, &out, &size, &info, msg.baseAddress, msg.count)
            }
        }
        guard status == 0, let pixels = out else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImagingError(.corrupt, "JPEG decoding failed: \(text)")
        }
        defer { pharos_jpeg_free(pixels) }
        let samples = [Int32](unsafeUninitializedCapacity: size) { out, initialized in
            for i in 0 ..< size { out[i] = Int32(pixels[i]) }
            initialized = size
        }
        return PixelBuffer(width: Int(info.width), height: Int(info.height), samplesPerPixel: Int(info.components),
                           bitsStored: 8, isSigned: false,
                           photometricInterpretation: info.components == 3 ? .rgb : .monochrome2, samples: samples)
    }
}
