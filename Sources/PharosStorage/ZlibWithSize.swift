import CZlib

/// Orthanc's `ZlibWithSize` attachment format: the uncompressed size as an 8-byte little-endian integer, then a
/// zlib stream (RFC 1950) of the content. Empty content is stored as zero bytes (no prefix), as Orthanc does.
enum ZlibWithSize {
    /// zlib's default level, the one Orthanc uses.
    static let level: Int32 = 6

    static func compress(_ input: [UInt8]) throws(StorageError) -> [UInt8] {
        if input.isEmpty { return [] }
        var bound = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: 8 + Int(bound))
        let size = UInt64(input.count)
        for i in 0 ..< 8 { out[i] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(i))) }
        let status = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in
                compress2(o.baseAddress! + 8, &bound, i.baseAddress, uLong(i.count), level)
            }
        }
        guard status == Z_OK else {
            throw StorageError(.io, "zlib could not compress an attachment (status \(status))")
        }
        out.removeSubrange((8 + Int(bound))...)
        return out
    }

    /// Decompresses, refusing a prefix that disagrees with the stream. deflate cannot expand more than 1032:1,
    /// so a larger declared size is corruption, and no more than that is ever allocated.
    static func decompress(_ input: [UInt8], path: String? = nil) throws(StorageError) -> [UInt8] {
        if input.isEmpty { return [] }
        guard input.count > 8 else {
            throw StorageError(.corruptFile, "A compressed attachment is shorter than its size prefix", path: path)
        }
        var declared: UInt64 = 0
        for i in 0 ..< 8 { declared |= UInt64(input[i]) << (8 * UInt64(i)) }
        guard declared <= UInt64(input.count) * 1032 + 64, let count = Int(exactly: declared) else {
            throw StorageError(.corruptFile, "A compressed attachment declares \(declared) bytes, more than its stream can hold",
                               path: path)
        }
        // The declared size is a hint only: zlib fails if the stream does not fit, and the result must match.
        var out = [UInt8](repeating: 0, count: max(count, 1))
        var produced = uLong(count)
        let status = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in
                uncompress(o.baseAddress, &produced, i.baseAddress! + 8, uLong(i.count - 8))
            }
        }
        guard status == Z_OK, Int(produced) == count else {
            throw StorageError(.corruptFile, "A compressed attachment is corrupt (zlib status \(status), "
                               + "\(produced) of \(count) bytes)", path: path)
        }
        if count == 0 { return [] }
        return out
    }
}
