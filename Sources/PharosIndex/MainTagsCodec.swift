import DICOM
import Foundation

/// The compact blob that holds a resource's main tags for display: version byte 1, then for each tag in
/// ascending order its number (UInt32 LE), the UTF-8 length (UInt32 LE) and the UTF-8 bytes.
enum MainTagsCodec {
    static func encode(_ tags: MainTags) -> Data {
        var out = Data([1])
        for (tag, value) in tags.sorted(by: { $0.key < $1.key }) {
            let utf8 = Array(value.utf8)
            append(&out, tag.rawValue)
            append(&out, UInt32(truncatingIfNeeded: utf8.count))
            out.append(contentsOf: utf8)
        }
        return out
    }

    static func decode(_ data: Data) throws(IndexError) -> MainTags {
        let bytes = [UInt8](data)
        var tags: MainTags = [:]
        tags.reserveCapacity(12)
        try entries(bytes) { tag, range in
            tags[Tag(rawValue: tag)] = String(decoding: bytes[range], as: UTF8.self)
            return true
        }
        return tags
    }

    /// Checks a blob's structure without decoding its values.
    static func validate(_ bytes: [UInt8]) throws(IndexError) {
        try entries(bytes) { _, _ in true }
    }

    /// The value of one tag in a blob, found by scanning (tags are stored in ascending order); nil when absent or
    /// when the blob is malformed.
    static func value(_ tag: Tag, in bytes: [UInt8]) -> String? {
        var found: String?
        try? entries(bytes) { current, range in
            if current == tag.rawValue { found = String(decoding: bytes[range], as: UTF8.self) }
            return current < tag.rawValue
        }
        return found
    }

    /// Walks a blob's entries, checking every length against what is left: `body` gets each tag number and the
    /// byte range of its value, and answers whether to go on.
    private static func entries(_ bytes: [UInt8], _ body: (UInt32, Range<Int>) -> Bool) throws(IndexError) {
        guard let version = bytes.first else { return }
        guard version == 1 else { throw IndexError(.corrupt, "Main tags stored in an unknown format (\(version))") }
        var i = 1
        while i < bytes.count {
            guard bytes.count - i >= 8 else { throw IndexError(.corrupt, "Main tags blob is truncated") }
            let tag = u32(bytes, i)
            let length = Int(u32(bytes, i + 4))
            i += 8
            guard bytes.count - i >= length else { throw IndexError(.corrupt, "Main tags blob is truncated") }
            guard body(tag, i ..< i + length) else { return }
            i += length
        }
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func append(_ data: inout Data, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
    }
}
