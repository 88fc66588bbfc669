/// SHA-1 (FIPS 180-4), used only for Orthanc's resource identifiers, which are defined as SHA-1 digests.
struct SHA1 {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    mutating func update(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            buffer.append(b)
            length &+= 1
            if buffer.count == 64 { compress(buffer); buffer.removeAll(keepingCapacity: true) }
        }
    }

    mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (buffer.count + tail.count) % 64 != 56 { tail.append(0) }
        for i in (0 ..< 8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        for b in tail {
            buffer.append(b)
            if buffer.count == 64 { compress(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        var out: [UInt8] = []
        for word in [h.0, h.1, h.2, h.3, h.4] {
            out += [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
        }
        return out
    }

    static func digest(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var s = SHA1()
        s.update(bytes)
        return s.finalize()
    }

    private mutating func compress(_ block: [UInt8]) {
        var w = [UInt32](repeating: 0, count: 80)
        for i in 0 ..< 16 {
            w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16 | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
        }
        for i in 16 ..< 80 { w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotated(1) }
        var (a, b, c, d, e) = h
        for i in 0 ..< 80 {
            let f: UInt32, k: UInt32
            switch i {
            case 0 ..< 20: f = (b & c) | (~b & d); k = 0x5A82_7999
            case 20 ..< 40: f = b ^ c ^ d; k = 0x6ED9_EBA1
            case 40 ..< 60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
            default: f = b ^ c ^ d; k = 0xCA62_C1D6
            }
            let t = a.rotated(5) &+ f &+ e &+ k &+ w[i]
            e = d; d = c; c = b.rotated(30); b = a; a = t
        }
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
    }
}

private extension UInt32 {
    func rotated(_ n: UInt32) -> UInt32 { self << n | self >> (32 - n) }
}
