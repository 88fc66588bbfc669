#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Conversions through the C library's iconv. Handles are pooled per encoding name behind a lock, because an
/// iconv handle keeps shift state and must never be used by two threads at once, and opening one per call is slow.
enum Iconv {
    private static let pool = IconvPool()

    /// Decodes `bytes` in `encoding` to Unicode; bytes that do not decode become U+FFFD. Nil when iconv lacks the encoding.
    static func decode(_ bytes: [UInt8], from encoding: String) -> String? {
        var out: [UInt8] = []
        guard decode(bytes[...], from: encoding, appendingUTF8To: &out) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `bytes` in `encoding`, appending UTF-8 to `out`; false (nothing appended) when iconv lacks the encoding.
    static func decode(_ bytes: ArraySlice<UInt8>, from encoding: String, appendingUTF8To out: inout [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        guard let handle = pool.acquire(encoding, toUnicode: true) else { return false }
        defer { pool.release(handle) }
        let input = Array(bytes)
        out.reserveCapacity(out.count + input.count * 2)
        var start = 0
        while start < input.count {
            let r = convert(handle.cd, input, from: start, into: &out)
            start = r.consumed
            guard r.stoppedOnError else { break }
            // An invalid or truncated sequence: one replacement character, then carry on after the bad byte.
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            start += 1
            resetState(handle.cd)
        }
        return true
    }

    /// Encodes one scalar in `encoding`; nil when it has no mapping there (or iconv lacks the encoding).
    static func encodeScalar(_ scalar: Unicode.Scalar, to encoding: String) -> [UInt8]? {
        guard let handle = pool.acquire(encoding, toUnicode: false) else { return nil }
        defer { pool.release(handle) }
        var out: [UInt8] = []
        let r = convert(handle.cd, Array(String(scalar).utf8), from: 0, into: &out)
        guard !r.stoppedOnError else { return nil }
        flush(handle.cd, into: &out)
        return out
    }

    /// Encodes text in `encoding`, each unmappable scalar as '?'. Nil when iconv lacks the encoding.
    static func encode(_ text: String, to encoding: String) -> [UInt8]? {
        guard let handle = pool.acquire(encoding, toUnicode: false) else { return nil }
        defer { pool.release(handle) }
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var start = 0
        while start < input.count {
            let r = convert(handle.cd, input, from: start, into: &out)
            start = r.consumed
            guard r.stoppedOnError else { break }
            out.append(UInt8(ascii: "?"))
            // Skip the whole UTF-8 sequence of the scalar that has no mapping.
            start += 1
            while start < input.count, input[start] & 0xC0 == 0x80 { start += 1 }
            resetState(handle.cd)
        }
        flush(handle.cd, into: &out)
        return out
    }

    /// Runs iconv over `input[start...]`, appending to `out`; answers how far it got and whether it stopped on bad input.
    private static func convert(_ cd: iconv_t, _ input: [UInt8], from start: Int,
                                into out: inout [UInt8]) -> (consumed: Int, stoppedOnError: Bool) {
        var consumed = start
        var chunk = [UInt8](repeating: 0, count: max(64, (input.count - start) * 4))
        while consumed < input.count {
            let (used, produced, err) = input.withUnsafeBufferPointer { inBuf -> (Int, Int, Int32) in
                chunk.withUnsafeMutableBufferPointer { outBuf -> (Int, Int, Int32) in
                    guard let inBase = inBuf.baseAddress, let outBase = outBuf.baseAddress else { return (0, 0, EINVAL) }
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = input.count - consumed
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let error: Int32 = rc == -1 ? errno : 0
                    return (input.count - consumed - inLeft, outBuf.count - outLeft, error)
                }
            }
            out.append(contentsOf: chunk[0 ..< produced])
            consumed += used
            switch err {
            case 0: return (consumed, false)
            case E2BIG: continue
            default: return (consumed, true) // EILSEQ or EINVAL (truncated at the end)
            }
        }
        return (consumed, false)
    }

    /// Writes any pending shift sequence (stateful encodings) and returns the handle to its initial state.
    private static func flush(_ cd: iconv_t, into out: inout [UInt8]) {
        var chunk = [UInt8](repeating: 0, count: 16)
        let produced = chunk.withUnsafeMutableBufferPointer { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base).assumingMemoryBound(to: CChar.self)
            var outLeft = buf.count
            _ = iconv(cd, nil, nil, &outPtr, &outLeft)
            return buf.count - outLeft
        }
        out.append(contentsOf: chunk[0 ..< produced])
    }

    fileprivate static func resetState(_ cd: iconv_t) { _ = iconv(cd, nil, nil, nil, nil) }
}

/// One open iconv handle and the pool slot it belongs to.
struct IconvHandle {
    let slot: Int
    let cd: iconv_t
}

/// Free iconv handles by conversion, guarded by a lock; a handle is owned by one caller between acquire and release.
/// Conversions are few (a dozen encodings, two directions), so slots are found by a short scan, with no hashing.
private final class IconvPool: @unchecked Sendable {
    private struct Slot {
        let encoding: String
        let toUnicode: Bool
        var free: [iconv_t] = []
        var unsupported = false
    }

    private let lock = NSLock()
    private var slots: [Slot] = []
    private let maximumIdlePerSlot = 8

    func acquire(_ encoding: String, toUnicode: Bool) -> IconvHandle? {
        lock.lock()
        let index: Int
        if let found = slots.firstIndex(where: { $0.toUnicode == toUnicode && $0.encoding == encoding }) {
            index = found
        } else {
            slots.append(Slot(encoding: encoding, toUnicode: toUnicode))
            index = slots.count - 1
        }
        if slots[index].unsupported { lock.unlock(); return nil }
        if let cd = slots[index].free.popLast() { lock.unlock(); return IconvHandle(slot: index, cd: cd) }
        lock.unlock()
        let cd = toUnicode ? iconv_open("UTF-8", encoding) : iconv_open(encoding, "UTF-8")
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            lock.lock(); slots[index].unsupported = true; lock.unlock()
            return nil
        }
        return IconvHandle(slot: index, cd: cd)
    }

    func release(_ handle: IconvHandle) {
        Iconv.resetState(handle.cd)
        lock.lock()
        if slots[handle.slot].free.count < maximumIdlePerSlot {
            slots[handle.slot].free.append(handle.cd)
            lock.unlock()
        } else {
            lock.unlock()
            iconv_close(handle.cd)
        }
    }
}
