import CJPEGTurbo

/// Baseline JPEG encoding of an 8-bit rendered image through libjpeg-turbo (Orthanc's `Accept: image/jpeg`).
public enum JPEGEncoder {
    /// Encodes an 8-bit grayscale or RGB image; `quality` is 1…100 (Orthanc's default is 90).
    public static func encode(_ image: RenderedImage, quality: Int = 90) throws(ImagingError) -> [UInt8] {
        let components: Int32
        switch image.format {
        case .grayscale8: components = 1
        case .rgb24: components = 3
        case .grayscale16, .signedGrayscale16:
            throw ImagingError(.unsupported, "JPEG encoding needs an 8-bit image; render to 8 bits first")
        }
        guard (1 ... 100).contains(quality) else {
            throw ImagingError(.unsupported, "JPEG quality must be 1…100 (got \(quality))")
        }
        guard image.bytes.count == image.width * image.height * Int(components) else {
            throw ImagingError(.internalError, "rendered image size does not match its dimensions")
        }
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = image.bytes.withUnsafeBufferPointer { src in
            message.withUnsafeMutableBufferPointer { msg in
                pharos_jpeg_encode(src.baseAddress, Int32(image.width), Int32(image.height), components, Int32(quality),
                                   &out, &size, msg.baseAddress, msg.count)
            }
        }
        guard status == 0, let bytes = out else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImagingError(.internalError, "JPEG encoding failed: \(text)")
        }
        defer { pharos_jpeg_free(bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
