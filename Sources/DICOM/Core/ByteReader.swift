/// A bounds-checked cursor over bytes: every read fails instead of trapping when the input is short.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    var bigEndian: Bool

    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil, bigEndian: Bool = false) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.bigEndian = bigEndian
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    private func truncated(_ what: String, _ count: Int) -> DICOMError {
        DICOMError(.truncated, "Input ends while reading \(what): needed \(count) bytes, \(max(remaining, 0)) left",
                   offset: position)
    }

    mutating func readUInt16(_ what: String = "a 16-bit value") throws(DICOMError) -> UInt16 {
        guard remaining >= 2 else { throw truncated(what, 2) }
        let a = UInt16(bytes[position]), b = UInt16(bytes[position + 1])
        position += 2
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    mutating func readUInt32(_ what: String = "a 32-bit value") throws(DICOMError) -> UInt32 {
        guard remaining >= 4 else { throw truncated(what, 4) }
        let p = position
        let v0 = UInt32(bytes[p]), v1 = UInt32(bytes[p + 1]), v2 = UInt32(bytes[p + 2]), v3 = UInt32(bytes[p + 3])
        position += 4
        return bigEndian ? v0 << 24 | v1 << 16 | v2 << 8 | v3 : v3 << 24 | v2 << 16 | v1 << 8 | v0
    }

    mutating func readTag() throws(DICOMError) -> Tag {
        let g = try readUInt16("a tag")
        let e = try readUInt16("a tag")
        return Tag(g, e)
    }

    func peekUInt16(at offset: Int = 0) -> UInt16? {
        let p = position + offset
        guard p >= 0, p + 2 <= end else { return nil }
        let a = UInt16(bytes[p]), b = UInt16(bytes[p + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    func peekByte(at offset: Int = 0) -> UInt8? {
        let p = position + offset
        guard p >= 0, p < end else { return nil }
        return bytes[p]
    }

    /// Copies `count` bytes out; the count has been checked against what is left, never allocated on trust.
    mutating func readBytes(_ count: Int, _ what: String = "a value") throws(DICOMError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw truncated(what, count) }
        let out = Array(bytes[position ..< position + count])
        position += count
        return out
    }

    mutating func skip(_ count: Int, _ what: String = "a value") throws(DICOMError) {
        guard count >= 0, count <= remaining else { throw truncated(what, count) }
        position += count
    }

    mutating func seek(to offset: Int) { position = min(max(offset, 0), end) }
}
