import Foundation

/// MD5 (RFC 1321), incremental. Used only as a checksum of attachments, as Orthanc records one; not for security.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    public init() { buffer.reserveCapacity(64) }

    /// Per-round shift amounts and the sine-derived constants of RFC 1321 §3.4.
    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let constants: [UInt32] = (0 ..< 64).map { i in
        UInt32(truncatingIfNeeded: Int64(abs(sin(Double(i + 1))) * 4_294_967_296.0))
    }

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

    private mutating func processBlock(_ p: UnsafeRawPointer) {
        var (a, b, c, d) = state
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { m in
            for i in 0 ..< 16 { m[i] = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)) }
            Self.constants.withUnsafeBufferPointer { k in
                Self.shifts.withUnsafeBufferPointer { s in
                    for i in 0 ..< 64 {
                        var f: UInt32
                        let g: Int
                        switch i {
                        case 0 ..< 16: f = (b & c) | (~b & d); g = i
                        case 16 ..< 32: f = (d & b) | (~d & c); g = (5 * i + 1) & 15
                        case 32 ..< 48: f = b ^ c ^ d; g = (3 * i + 5) & 15
                        default: f = c ^ (b | ~d); g = (7 * i) & 15
                        }
                        f = f &+ a &+ k[i] &+ m[g]
                        a = d
                        d = c
                        c = b
                        b = b &+ ((f << s[i]) | (f >> (32 - s[i])))
                    }
                }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
