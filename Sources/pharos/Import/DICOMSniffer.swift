/// Cheap checks on the first bytes of a file, so that obvious non-DICOM files are not uploaded.
enum DICOMSniffer {
    /// Bytes to read from the start of a file before deciding (enough for the tar magic at 257).
    static let prefixLength = 512

    /// Extensions skipped without opening the file (reports, JSON answers, notes found beside DICOM files).
    static let ignoredExtensions: Set<String> = [
        "json", "txt", "xml", "csv", "md", "html", "htm", "log", "ini", "cfg", "py", "sh", "pdf", "png", "jpg", "jpeg",
    ]

    /// Whether the bytes look like a DICOM Part 10 file ("DICM" at offset 128) or a raw data set without preamble.
    static func looksLikeDICOM(_ bytes: [UInt8]) -> Bool {
        if bytes.count >= 132, bytes[128] == 0x44, bytes[129] == 0x49, bytes[130] == 0x43, bytes[131] == 0x4D {
            return true
        }
        return looksLikeRawDataSet(bytes)
    }

    /// A raw little-endian data set starts with a low, even group (0002 meta or 0008 identification) and then
    /// either an explicit VR (two upper-case letters) or a 32-bit implicit length that is not absurd.
    static func looksLikeRawDataSet(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return false }
        let group = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
        guard group == 0x0002 || group == 0x0008 else { return false }
        let isUpper = { (byte: UInt8) in byte >= 0x41 && byte <= 0x5A }
        if isUpper(bytes[4]) && isUpper(bytes[5]) { return true }
        let length = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        return length < 0x1_0000
    }

    /// Whether the bytes start like an archive or a compressed file libarchive can read (zip, gzip, bzip2, xz, tar).
    static func looksLikeArchive(_ bytes: [UInt8]) -> Bool {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x1F, 0x8B]) || starts([0x42, 0x5A, 0x68])
            || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            return true
        }
        // POSIX tar: "ustar" at offset 257.
        return bytes.count >= 262 && Array(bytes[257..<262]) == Array("ustar".utf8)
    }

    /// Whether a file name has an archive extension `pharos import` opens.
    static func hasArchiveExtension(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".zip", ".tar", ".tgz", ".tbz2", ".tbz", ".txz", ".gz", ".bz2", ".xz"].contains { lower.hasSuffix($0) }
    }

    /// The lower-cased extension of a file name, without the dot ("" when none).
    static func fileExtension(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }
}
