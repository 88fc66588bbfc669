import CZlib
import DICOMImaging

/// The containers some imaging answers come in: gzip (`/raw.gz`, RFC 1952) and NumPy's `.npz` (a ZIP archive).
enum AnswerCompression {
    /// Raw deflate data of `bytes` (zlib's stream without its 2-byte header and Adler-32 trailer).
    static func deflateRaw(_ bytes: [UInt8]) throws(ImagingError) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), 6)
            }
        }
        guard status == Z_OK, capacity >= 6 else {
            throw ImagingError(.internalError, "zlib could not compress the answer (status \(status))")
        }
        return Array(out[2 ..< Int(capacity) - 4])
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(truncatingIfNeeded: bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    /// A gzip member holding `bytes`.
    static func gzip(_ bytes: [UInt8]) throws(ImagingError) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]  // deflate, no name, no time, Unix
        out += try deflateRaw(bytes)
        le32(&out, crc(bytes))
        le32(&out, UInt32(truncatingIfNeeded: bytes.count))
        return out
    }

    /// A ZIP archive with one deflated entry, which `numpy.load` opens as an `.npz`.
    static func npz(_ bytes: [UInt8], name: String) throws(ImagingError) -> [UInt8] {
        // Classic ZIP sizes are 32-bit; an array past 4 GiB would need ZIP64, which no frame here comes near.
        guard bytes.count < Int(UInt32.max) else {
            throw ImagingError(.unsupported, "the array is too large for a compressed answer; ask without ?compress")
        }
        let data = try deflateRaw(bytes)
        guard data.count < Int(UInt32.max) else { throw ImagingError(.unsupported, "the compressed array is too large") }
        let nameBytes = Array(name.utf8)
        let checksum = crc(bytes)
        func common(_ out: inout [UInt8]) {
            le16(&out, 20)               // version needed: 2.0 (deflate)
            le16(&out, 0)                // flags
            le16(&out, 8)                // method: deflate
            le16(&out, 0); le16(&out, 0x21)  // time 00:00, date 1980-01-01
            le32(&out, checksum)
            le32(&out, UInt32(data.count))
            le32(&out, UInt32(bytes.count))
            le16(&out, UInt16(nameBytes.count))
            le16(&out, 0)                // extra field length
        }
        var out: [UInt8] = [0x50, 0x4B, 3, 4]
        common(&out)
        out += nameBytes
        out += data
        let directoryOffset = out.count
        var directory: [UInt8] = [0x50, 0x4B, 1, 2]
        le16(&directory, 20)             // version made by
        common(&directory)
        le16(&directory, 0); le16(&directory, 0); le16(&directory, 0)  // comment, disk, internal attributes
        le32(&directory, 0)              // external attributes
        le32(&directory, 0)              // offset of the local header
        directory += nameBytes
        out += directory
        out += [0x50, 0x4B, 5, 6, 0, 0, 0, 0]
        le16(&out, 1); le16(&out, 1)
        le32(&out, UInt32(directory.count))
        le32(&out, UInt32(truncatingIfNeeded: directoryOffset))
        le16(&out, 0)
        return out
    }

    private static func le16(_ out: inout [UInt8], _ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func le32(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }
}

/// Orthanc's `/matlab` answer: a MATLAB/Octave expression building the frame as a matrix of doubles.
enum MatlabText {
    /// `double([ a b … ; c d … ])`, one row of the image per matrix row.
    static func grayscale(_ frame: PixelBuffer) -> String {
        var text = "double([ "
        text.reserveCapacity(frame.samples.count * 5 + 16)
        for y in 0 ..< frame.height {
            if y > 0 { text += "; " }
            for x in 0 ..< frame.width {
                text += String(frame.value(at: (y * frame.width + x) * frame.samplesPerPixel))
                text += " "
            }
        }
        return text + "])"
    }

    /// RGB samples in file order; the reshape sizes are written 3, rows, columns, exactly as Orthanc writes them.
    static func colour(_ image: RenderedImage) -> String {
        var text = "double(permute(reshape([ "
        text.reserveCapacity(image.bytes.count * 4 + 64)
        for b in image.bytes {
            text += String(b)
            text += " "
        }
        return text + "], [ 3 \(image.height) \(image.width) ]), [ 3 2 1 ]))"
    }
}
