import CZlib

/// Writes a ZIP archive (APPNOTE 6.3) as a stream: each entry's bytes as it is added, the central directory at the
/// end. Entries are stored as they are: DICOM files are mostly pixel data, often compressed already, and a download
/// is faster stored than deflated on the server. ZIP64 records are added where an offset, a size or the entry count
/// outgrows the classic fields.
struct ZipWriter {
    /// Bytes of the archive produced so far.
    private(set) var offset: UInt64 = 0
    private var central: [UInt8] = []
    private var count = 0

    /// The DOS date and time stamped on every entry.
    private let dosTime: UInt16
    private let dosDate: UInt16

    init(date: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)) {
        dosTime = UInt16(truncatingIfNeeded: date.hour << 11 | date.minute << 5 | date.second / 2)
        dosDate = UInt16(truncatingIfNeeded: max(0, date.year - 1980) << 9 | date.month << 5 | date.day)
    }

    /// Adds a file named `name` (a relative path with `/` separators), appending its bytes in the archive to `out`.
    mutating func add(_ name: String, _ content: [UInt8], to out: inout [UInt8]) {
        // The name field holds 65,535 bytes; archive paths are far shorter (ArchiveLayout), but never trap on one.
        let nameBytes = Array(name.utf8.prefix(0xFFFF))
        let crc = content.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, $0.count)) }
        let offset = self.offset, size = UInt64(content.count)
        let sizeNeeds64 = size >= 0xFFFF_FFFF
        // Local header: with ZIP64 sizes when the file itself is that large.
        var local: [UInt8] = []
        local.le32(0x0403_4B50)
        local.le16(sizeNeeds64 ? 45 : 20)
        appendSharedFields(&local, crc: crc, size: size)
        local.le16(UInt16(nameBytes.count))
        local.le16(sizeNeeds64 ? 20 : 0)
        local += nameBytes
        if sizeNeeds64 {
            local.le16(0x0001)
            local.le16(16)
            local.le64(size)
            local.le64(size)
        }
        out += local
        out += content
        self.offset += UInt64(local.count) + size

        // Central directory entry: ZIP64 extra for whichever of sizes and offset do not fit.
        var extra: [UInt8] = []
        if sizeNeeds64 { extra.le64(size); extra.le64(size) }
        let offsetNeeds64 = offset >= 0xFFFF_FFFF
        if offsetNeeds64 { extra.le64(offset) }
        var header: [UInt8] = []
        header.le32(0x0201_4B50)
        header.le16(3 << 8 | 45)  // made by Unix, version 4.5
        header.le16(extra.isEmpty ? 20 : 45)
        appendSharedFields(&header, crc: crc, size: size)
        header.le16(UInt16(nameBytes.count))
        header.le16(extra.isEmpty ? 0 : UInt16(4 + extra.count))
        header.le16(0)  // comment
        header.le16(0)  // disk
        header.le16(0)  // internal attributes
        header.le32(0o100644 << 16)  // a regular file, rw-r--r--
        header.le32(offsetNeeds64 ? 0xFFFF_FFFF : UInt32(offset))
        header += nameBytes
        if !extra.isEmpty {
            header.le16(0x0001)
            header.le16(UInt16(extra.count))
            header += extra
        }
        central += header
        count += 1
    }

    /// The fields the local header and the central directory entry share, from the flags to the sizes: UTF-8 names,
    /// stored, the date, the CRC-32, and both sizes (0xFFFFFFFF when they are in the ZIP64 extra field).
    private func appendSharedFields(_ out: inout [UInt8], crc: UInt32, size: UInt64) {
        out.le16(1 << 11)
        out.le16(0)
        out.le16(dosTime)
        out.le16(dosDate)
        out.le32(crc)
        let field = size >= 0xFFFF_FFFF ? 0xFFFF_FFFF : UInt32(size)
        out.le32(field)
        out.le32(field)
    }

    /// The end of the archive: central directory and end records.
    mutating func finish() -> [UInt8] {
        let start = offset, size = UInt64(central.count)
        var bytes = central
        central = []
        if count >= 0xFFFF || start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF {
            let record = start + size
            bytes.le32(0x0606_4B50)
            bytes.le64(44)
            bytes.le16(3 << 8 | 45)
            bytes.le16(45)
            bytes.le32(0)
            bytes.le32(0)
            bytes.le64(UInt64(count))
            bytes.le64(UInt64(count))
            bytes.le64(size)
            bytes.le64(start)
            bytes.le32(0x0706_4B50)
            bytes.le32(0)
            bytes.le64(record)
            bytes.le32(1)
        }
        bytes.le32(0x0605_4B50)
        bytes.le16(0)
        bytes.le16(0)
        bytes.le16(UInt16(min(count, 0xFFFF)))
        bytes.le16(UInt16(min(count, 0xFFFF)))
        bytes.le32(UInt32(min(size, 0xFFFF_FFFF)))
        bytes.le32(UInt32(min(start, 0xFFFF_FFFF)))
        bytes.le16(0)
        offset += UInt64(bytes.count)
        return bytes
    }
}

private extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for i in 0 ..< 4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func le64(_ v: UInt64) { for i in 0 ..< 8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
}
