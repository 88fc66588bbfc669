import CArchive

/// The regular files of a ZIP archive held in memory (a `POST /instances` body), read with libarchive.
enum ZipArchive {
    /// Largest total of extracted bytes accepted from one upload, against zip bombs.
    static let maximumExtractedSize = 16 << 30

    /// Whether `bytes` start like a ZIP archive (local file header signature).
    static func isZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// Every regular file's bytes, in archive order; a damaged archive is a 400.
    static func entries(of bytes: [UInt8]) throws -> [[UInt8]] {
        guard let handle = archive_read_new() else { throw RESTError(.internalError, "libarchive could not start") }
        defer { archive_read_free(handle) }
        archive_read_support_format_zip(handle)
        var files: [[UInt8]] = []
        var total = 0
        try bytes.withUnsafeBytes { raw throws in
            guard archive_read_open_memory(handle, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                throw RESTError(.badFileFormat, "Cannot read the ZIP archive: \(message(handle))")
            }
            while true {
                var entry: OpaquePointer?
                let status = archive_read_next_header(handle, &entry)
                if status == ARCHIVE_EOF { break }
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                    throw RESTError(.badFileFormat, "Damaged ZIP archive: \(message(handle))")
                }
                guard archive_entry_filetype(entry) == 0o100000 else { continue }
                var data: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                    if n == 0 { break }
                    guard n > 0 else { throw RESTError(.badFileFormat, "Damaged ZIP entry: \(message(handle))") }
                    total += n
                    guard total <= maximumExtractedSize else {
                        throw RESTError(.badRequest, "The ZIP archive expands to more than \(maximumExtractedSize) bytes")
                    }
                    data.append(contentsOf: buffer[0 ..< n])
                }
                files.append(data)
            }
        }
        return files
    }

    private static func message(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
