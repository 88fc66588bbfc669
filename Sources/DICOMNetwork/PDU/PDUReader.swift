/// A bounds-checked cursor over PDU bytes: every read fails with `malformedPDU` instead of trapping.
struct PDUReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// Names the PDU or item being read, for error messages.
    let context: String

    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil, context: String) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.context = context
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    func failure(_ what: String) -> DICOMNetworkError {
        DICOMNetworkError(.malformedPDU, "Malformed \(context): \(what) (at byte \(position))")
    }

    mutating func uint8(_ what: String) throws(DICOMNetworkError) -> UInt8 {
        guard remaining >= 1 else { throw failure("ends before \(what)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16(_ what: String) throws(DICOMNetworkError) -> UInt16 {
        guard remaining >= 2 else { throw failure("ends before \(what)") }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func uint32(_ what: String) throws(DICOMNetworkError) -> UInt32 {
        guard remaining >= 4 else { throw failure("ends before \(what)") }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    mutating func bytes(_ count: Int, _ what: String) throws(DICOMNetworkError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw failure("\(what) declares \(count) bytes but only \(max(remaining, 0)) remain")
        }
        defer { position += count }
        return Array(bytes[position ..< position + count])
    }

    mutating func skip(_ count: Int, _ what: String) throws(DICOMNetworkError) {
        guard count >= 0, remaining >= count else {
            throw failure("\(what) declares \(count) bytes but only \(max(remaining, 0)) remain")
        }
        position += count
    }

    /// A text field (AE title, UID), with space and NUL padding removed on both sides.
    mutating func text(_ count: Int, _ what: String) throws(DICOMNetworkError) -> String {
        let raw = try bytes(count, what)
        return Self.trimmed(raw)
    }

    static func trimmed(_ raw: [UInt8]) -> String {
        var start = 0, end = raw.count
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0 { end -= 1 }
        while start < end, raw[start] == 0x20 || raw[start] == 0 { start += 1 }
        return String(decoding: raw[start ..< end], as: UTF8.self)
    }

    /// A sub-reader over the next `count` bytes (an item's value), advancing past them.
    mutating func subReader(_ count: Int, context: String) throws(DICOMNetworkError) -> PDUReader {
        guard count >= 0, remaining >= count else {
            throw failure("\(context) declares \(count) bytes but only \(max(remaining, 0)) remain")
        }
        let sub = PDUReader(bytes, start: position, end: position + count, context: context)
        position += count
        return sub
    }
}

/// Appends big endian fields (the upper layer's byte order, PS3.8 §9.3.1).
struct PDUWriter {
    var bytes: [UInt8] = []

    mutating func uint8(_ v: UInt8) { bytes.append(v) }
    mutating func uint16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xFF)) }
    mutating func uint32(_ v: UInt32) {
        bytes.append(UInt8(v >> 24)); bytes.append(UInt8((v >> 16) & 0xFF))
        bytes.append(UInt8((v >> 8) & 0xFF)); bytes.append(UInt8(v & 0xFF))
    }
    mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// An AE title field: 16 bytes, space padded.
    mutating func aeTitle(_ title: String) {
        var b = Array(title.utf8.prefix(16))
        while b.count < 16 { b.append(0x20) }
        bytes.append(contentsOf: b)
    }

    /// An item: type, reserved byte, 16-bit length, value.
    mutating func item(_ type: UInt8, _ value: [UInt8]) {
        uint8(type); uint8(0); uint16(UInt16(clamping: value.count)); append(value)
    }

    /// Starts a sub-structure whose 16-bit length is patched in by `endItem`.
    mutating func beginItem(_ type: UInt8) -> Int {
        uint8(type); uint8(0); uint16(0)
        return bytes.count
    }

    mutating func endItem(_ start: Int) {
        let length = UInt16(clamping: bytes.count - start)
        bytes[start - 2] = UInt8(length >> 8)
        bytes[start - 1] = UInt8(length & 0xFF)
    }
}

/// `0x0A`-style text of a byte, for messages.
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
}

/// `0xA700`-style text of a 16-bit value, for messages.
func hex16(_ value: UInt16) -> String {
    hex(UInt8(value >> 8)) + String(hex(UInt8(value & 0xFF)).dropFirst(2))
}
