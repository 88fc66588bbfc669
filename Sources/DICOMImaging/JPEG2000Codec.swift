import Foundation
import COpenJPEG

/// JPEG 2000 (J2K codestream or JP2 file, including HTJ2K) through Debian's OpenJPEG, read from memory.
/// YBR_RCT/YBR_ICT codestreams come out as RGB: OpenJPEG applies the inverse component transform.
enum JPEG2000Codec {
    /// The bytes being decoded and the read position, handed to OpenJPEG's stream callbacks.
    private final class MemoryStream {
        let base: UnsafeRawPointer
        let count: Int
        var position = 0
        var messages: [String] = []
        init(base: UnsafeRawPointer, count: Int) {
            self.base = base
            self.count = count
        }
    }

    static func decode(_ data: [UInt8], maxSamples: Int) throws(ImagingError) -> PixelBuffer {
        guard data.count >= 12 else { throw ImagingError(.corrupt, "JPEG 2000 stream is only \(data.count) bytes") }
        var data = data
        if data[4 ..< 8].elementsEqual([0x6A, 0x50, 0x20, 0x20]) {
            // A JP2 file: decode its contiguous codestream box; DICOM's attributes, not JP2's, say what the colours are.
            guard let codestream = Self.codestreamBox(data) else {
                throw ImagingError(.corrupt, "JP2 file without a contiguous codestream (jp2c) box")
            }
            data = codestream
        }
        guard data.count >= 4, data[0] == 0xFF, data[1] == 0x4F else {
            throw ImagingError(.corrupt, "not a JPEG 2000 codestream (no SOC marker or JP2 signature)")
        }
        let isJP2 = false
        let result = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Result<PixelBuffer, ImagingError> in
            guard let base = raw.baseAddress else { return .failure(ImagingError(.corrupt, "empty JPEG 2000 stream")) }
            let source = MemoryStream(base: base, count: raw.count)
            defer { withExtendedLifetime(source) {} }
            do throws(ImagingError) {
                return .success(try decode(source, codecFormat: isJP2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K, maxSamples: maxSamples))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The payload of the first `jp2c` box of a JP2 file (ISO/IEC 15444-1 Annex I boxes: length, type, payload).
    static func codestreamBox(_ data: [UInt8]) -> [UInt8]? {
        var offset = 0
        while offset + 8 <= data.count {
            func be(_ at: Int, _ n: Int) -> Int { (0 ..< n).reduce(0) { $0 << 8 | Int(data[at + $1]) } }
            var length = be(offset, 4)
            var header = 8
            if length == 1 {
                guard offset + 16 <= data.count else { return nil }
                let wide = UInt64(truncatingIfNeeded: (0 ..< 8).reduce(UInt64(0)) { $0 << 8 | UInt64(data[offset + 8 + $1]) })
                guard wide <= UInt64(data.count) else { return nil }
                length = Int(wide)
                header = 16
            } else if length == 0 {
                length = data.count - offset
            }
            guard length >= header, offset + length <= data.count || length == data.count - offset else { return nil }
            let end = min(offset + length, data.count)
            if data[offset + 4 ..< offset + 8].elementsEqual(Array("jp2c".utf8)) {
                return Array(data[offset + header ..< end])
            }
            offset = end
        }
        return nil
    }

    private static func decode(_ source: MemoryStream, codecFormat: OPJ_CODEC_FORMAT,
                               maxSamples: Int) throws(ImagingError) -> PixelBuffer {
        let user = Unmanaged.passUnretained(source).toOpaque()
        guard let stream = opj_stream_create(1 << 16, 1) else {
            throw ImagingError(.internalError, "OpenJPEG could not create a stream")
        }
        defer { opj_stream_destroy(stream) }
        opj_stream_set_user_data(stream, user, nil)
        opj_stream_set_user_data_length(stream, UInt64(source.count))
        opj_stream_set_read_function(stream) { buffer, size, user in
            guard let buffer, let user else { return OPJ_SIZE_T.max }
            let s = Unmanaged<MemoryStream>.fromOpaque(user).takeUnretainedValue()
            let available = s.count - s.position
            // (OPJ_SIZE_T)-1 tells OpenJPEG the stream has ended.
            guard available > 0 else { return OPJ_SIZE_T.max }
            let n = min(Int(size), available)
            buffer.copyMemory(from: s.base + s.position, byteCount: n)
            s.position += n
            return OPJ_SIZE_T(n)
        }
        opj_stream_set_skip_function(stream) { offset, user in
            guard let user else { return -1 }
            let s = Unmanaged<MemoryStream>.fromOpaque(user).takeUnretainedValue()
            let target = Int64(s.position) + Int64(offset)
            if target < 0 { return -1 }
            // As with a file, skipping past the end succeeds; the next read then reports the end of the stream.
            s.position = Int(min(target, Int64(s.count)))
            return offset
        }
        opj_stream_set_seek_function(stream) { offset, user in
            guard let user else { return 0 }
            let s = Unmanaged<MemoryStream>.fromOpaque(user).takeUnretainedValue()
            guard offset >= 0, offset <= Int64(s.count) else { return 0 }
            s.position = Int(offset)
            return 1
        }

        guard let codec = opj_create_decompress(codecFormat) else {
            throw ImagingError(.internalError, "OpenJPEG could not create a decoder")
        }
        defer { opj_destroy_codec(codec) }
        let collect: opj_msg_callback = { message, user in
            guard let message, let user else { return }
            let s = Unmanaged<MemoryStream>.fromOpaque(user).takeUnretainedValue()
            if s.messages.count < 8 { s.messages.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let quiet: opj_msg_callback = { _, _ in }
        opj_set_error_handler(codec, collect, user)
        opj_set_warning_handler(codec, quiet, nil)
        opj_set_info_handler(codec, quiet, nil)
        var parameters = opj_dparameters_t()
        opj_set_default_decoder_parameters(&parameters)
        func fail(_ step: String) -> ImagingError {
            let detail = source.messages.isEmpty ? "" : ": " + source.messages.joined(separator: "; ")
            return ImagingError(.corrupt, "JPEG 2000 \(step) failed\(detail)")
        }
        guard opj_setup_decoder(codec, &parameters) != 0 else { throw fail("decoder setup") }
        // Code blocks decode in parallel on the machine's cores (OpenJPEG's own pool, set between setup and header);
        // without thread support in the library this call fails and decoding stays on one thread.
        _ = opj_codec_set_threads(codec, Int32(min(8, ProcessInfo.processInfo.activeProcessorCount)))
        // Strict: a truncated codestream is an error, not a partly grey image.
        _ = opj_decoder_set_strict_mode(codec, 1)
        var imagePointer: UnsafeMutablePointer<opj_image_t>?
        guard opj_read_header(stream, codec, &imagePointer) != 0, let image = imagePointer else {
            throw fail("header reading")
        }
        defer { opj_image_destroy(image) }
        let componentCount = Int(image.pointee.numcomps)
        guard componentCount == 1 || componentCount == 3 || componentCount == 4, let comps = image.pointee.comps else {
            throw ImagingError(.unsupported, "JPEG 2000 image with \(componentCount) components is not supported")
        }
        let width = Int(image.pointee.x1) - Int(image.pointee.x0)
        let height = Int(image.pointee.y1) - Int(image.pointee.y0)
        guard width > 0, height > 0, width * height * componentCount <= maxSamples else {
            throw ImagingError(.unsupported, "JPEG 2000 image \(width) x \(height) exceeds the decoding limit")
        }
        guard opj_decode(codec, stream, image) != 0 else { throw fail("decoding") }
        guard opj_end_decompress(codec, stream) != 0 else { throw fail("decoding") }

        // An alpha channel (4 components) is dropped: DICOM has no RGBA.
        let used = componentCount == 4 ? 3 : componentCount
        var samples = [Int32](repeating: 0, count: width * height * used)
        var precision = 0
        var signed = false
        for c in 0 ..< used {
            let comp = comps[c]
            guard Int(comp.w) == width, Int(comp.h) == height, let plane = comp.data else {
                throw ImagingError(.unsupported, "JPEG 2000 components with subsampling are not supported")
            }
            precision = max(precision, Int(comp.prec))
            signed = signed || comp.sgnd != 0
            for i in 0 ..< width * height { samples[i * used + c] = plane[i] }
        }
        guard (1 ... 32).contains(precision) else {
            throw ImagingError(.corrupt, "JPEG 2000 precision \(precision) is invalid")
        }
        return PixelBuffer(width: width, height: height, samplesPerPixel: used, bitsStored: precision, isSigned: signed,
                           photometricInterpretation: used == 3 ? .rgb : .monochrome2, samples: samples)
    }
}
