/// An append-only byte buffer writing numbers in one byte order, with length fields patched in afterwards.
struct ByteWriter {
    var bytes: [UInt8] = []
    let bigEndian: Bool

    init(bigEndian: Bool = false, capacity: Int = 0) {
        self.bigEndian = bigEndian
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func uint16(_ v: UInt16) {
        if bigEndian {
            bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xFF))
        } else {
            bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8))
        }
    }

    mutating func uint32(_ v: UInt32) {
        if bigEndian {
            uint16(UInt16(v >> 16)); uint16(UInt16(v & 0xFFFF))
        } else {
            uint16(UInt16(v & 0xFFFF)); uint16(UInt16(v >> 16))
        }
    }

    mutating func tag(_ t: Tag) {
        uint16(t.group)
        uint16(t.element)
    }

    /// The two ASCII characters of a VR: the same in either byte order.
    mutating func vr(_ vr: VR) {
        bytes.append(UInt8(vr.rawValue >> 8))
        bytes.append(UInt8(vr.rawValue & 0xFF))
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Overwrites the 32-bit length field at `offset` (written earlier as a placeholder).
    mutating func patchUInt32(at offset: Int, _ v: UInt32) {
        let b: [UInt8] = bigEndian
            ? [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            : [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
        bytes.replaceSubrange(offset ..< offset + 4, with: b)
    }

    /// Drops everything written from `offset` on (to re-encode a part differently).
    mutating func truncate(to offset: Int) { bytes.removeSubrange(offset...) }
}
