import CZlib

/// Raw DEFLATE (RFC 1951, no zlib header) as used by the Deflated Explicit VR Little Endian transfer syntax.
enum Inflate {
    /// Inflates `input[start...]`, refusing to produce more than `limit` bytes.
    static func raw(_ input: [UInt8], from start: Int, limit: Int) throws(DICOMError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DICOMError(.deflateFailed, "Cannot initialise zlib", offset: start)
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(64 * 1024, (input.count - start) * 4)))
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var status: Int32 = Z_OK
        let inputCount = input.count - start
        guard inputCount > 0 else { return [] }
        let failed: DICOMError? = input.withUnsafeBufferPointer { inBuf -> DICOMError? in
            guard let base = inBuf.baseAddress else { return nil }
            stream.next_in = UnsafeMutablePointer(mutating: base + start)
            stream.avail_in = uInt(inputCount)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return outBuf.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    return DICOMError(.deflateFailed, "Deflated data set is corrupt (zlib status \(status))",
                                      offset: start + inputCount - Int(stream.avail_in))
                }
                if output.count + produced > limit {
                    return DICOMError(.limitExceeded, "Deflated data set inflates past \(limit) bytes", offset: start)
                }
                output.append(contentsOf: chunk[0 ..< produced])
                if status == Z_BUF_ERROR && produced == 0 {
                    // No progress possible: input ended before the end of the deflate stream.
                    return DICOMError(.truncated, "Deflated data set ends before its end marker", offset: input.count)
                }
            } while status != Z_STREAM_END
            return nil
        }
        if let failed { throw failed }
        return output
    }

    /// Raw DEFLATE compression of `input` (for writing deflated data sets).
    static func deflateRaw(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws(DICOMError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DICOMError(.deflateFailed, "Cannot initialise zlib")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 16)
        let written: Int32 = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard written == Z_STREAM_END else { throw DICOMError(.deflateFailed, "zlib deflate failed (\(written))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
