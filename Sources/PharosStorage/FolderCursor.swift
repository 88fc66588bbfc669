import Foundation

/// Picks the names of new attachments so that consecutive files share a folder.
///
/// The layout stays Orthanc's (`ab/cd/abcd…`, the folder named by the name's first four hex digits), but instead of
/// a fresh random folder per file — two `mkdir` calls per write, the costliest step of a small write — up to
/// `filesPerFolder` files in a row get the same first four digits. The other 106 bits stay random, so names are
/// still unique across nodes sharing the folder.
final class FolderCursor: @unchecked Sendable {
    /// Files written in a row into one folder before another is picked.
    static let filesPerFolder = 1000

    private let lock = NSLock()
    private var prefix: UInt16
    private var used = 0

    init() { prefix = UInt16.random(in: .min ... .max) }

    /// A new lower-case UUID (version 4 layout) whose first four hex digits name the current folder.
    func nextUUID() -> String {
        lock.lock()
        if used == Self.filesPerFolder {
            prefix = UInt16.random(in: .min ... .max)
            used = 0
        }
        used += 1
        let head = prefix
        lock.unlock()
        var bytes = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[0] = UInt8(head >> 8)
            raw[1] = UInt8(head & 0xFF)
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // RFC 4122 variant
            return Self.format(raw)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// 8-4-4-4-12 lower-case hex of 16 bytes.
    static func format(_ raw: UnsafeMutableRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            var o = 0
            for i in 0 ..< 16 {
                if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                out[o] = hex[Int(raw[i] >> 4)]
                out[o + 1] = hex[Int(raw[i] & 0x0F)]
                o += 2
            }
            return o
        }
    }
}
