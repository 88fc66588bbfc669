import CCharLS

/// JPEG-LS lossless and near-lossless (PS3.5 §A.4.3) through Debian's CharLS.
enum JPEGLSCodec {
    static func decode(_ data: [UInt8], maxSamples: Int) throws(ImagingError) -> PixelBuffer {
        guard let decoder = charls_jpegls_decoder_create() else {
            throw ImagingError(.internalError, "CharLS could not create a decoder")
        }
        defer { charls_jpegls_decoder_destroy(decoder) }
        let result = terminated(data).withUnsafeBytes { (src: UnsafeRawBufferPointer) -> Result<PixelBuffer, ImagingError> in
            do throws(ImagingError) { return .success(try decode(decoder, src, maxSamples: maxSamples)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The stream with an end-of-image marker appended when none ends it (trailing zero padding aside).
    ///
    /// CharLS 2.4 takes about a minute to reject a 64 × 64 frame cut short before its EOI, which a truncated upload
    /// would turn into a stalled preview; given a marker to stop at, it fails in microseconds.
    static func terminated(_ data: [UInt8]) -> [UInt8] {
        var end = data.count
        while end > 0 && data[end - 1] == 0 { end -= 1 }
        if end >= 2 && data[end - 2] == 0xFF && data[end - 1] == 0xD9 { return data }
        return data + [0xFF, 0xD9]
    }

    private static func check(_ code: charls_jpegls_errc, _ step: String) throws(ImagingError) {
        guard code != CHARLS_JPEGLS_ERRC_SUCCESS else { return }
        let text = charls_get_error_message(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
        throw ImagingError(.corrupt, "JPEG-LS \(step) failed: \(text)")
    }

    private static func decode(_ decoder: OpaquePointer, _ src: UnsafeRawBufferPointer,
                               maxSamples: Int) throws(ImagingError) -> PixelBuffer {
        guard let base = src.baseAddress, src.count > 0 else { throw ImagingError(.corrupt, "empty JPEG-LS stream") }
        try check(charls_jpegls_decoder_set_source_buffer(decoder, base, src.count), "reading")
        try check(charls_jpegls_decoder_read_header(decoder), "header")
        var info = charls_frame_info()
        try check(charls_jpegls_decoder_get_frame_info(decoder, &info), "header")
        var mode = CHARLS_INTERLEAVE_MODE_NONE
        try check(charls_jpegls_decoder_get_interleave_mode(decoder, &mode), "header")
        let width = Int(info.width), height = Int(info.height), components = Int(info.component_count)
        let bits = Int(info.bits_per_sample)
        guard width > 0, height > 0, components == 1 || components == 3, (2 ... 16).contains(bits),
              width * height * components <= maxSamples else {
            throw ImagingError(.unsupported, "JPEG-LS frame \(width) x \(height) x \(components) at \(bits) bits is not supported")
        }
        var size = 0
        try check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size), "sizing")
        let bytesPerSample = bits > 8 ? 2 : 1
        guard size == width * height * components * bytesPerSample else {
            throw ImagingError(.corrupt, "JPEG-LS destination size \(size) does not match the frame header")
        }
        var out = [UInt8](repeating: 0, count: size)
        let status = out.withUnsafeMutableBytes { dst in
            charls_jpegls_decoder_decode_to_buffer(decoder, dst.baseAddress!, dst.count, 0)
        }
        try check(status, "decoding")
        let count = width * height * components
        var samples = [Int32](repeating: 0, count: count)
        if bytesPerSample == 1 {
            for i in 0 ..< count { samples[i] = Int32(out[i]) }
        } else {
            for i in 0 ..< count { samples[i] = Int32(UInt16(out[2 * i]) | UInt16(out[2 * i + 1]) << 8) }
        }
        // Without interleaving CharLS writes one plane per component.
        if components > 1 && mode == CHARLS_INTERLEAVE_MODE_NONE {
            samples = NativeFrameDecoder.interleave(samples, planes: components, pixels: width * height)
        }
        return PixelBuffer(width: width, height: height, samplesPerPixel: components, bitsStored: bits,
                           isSigned: false, photometricInterpretation: components == 3 ? .rgb : .monochrome2,
                           samples: samples)
    }
}
