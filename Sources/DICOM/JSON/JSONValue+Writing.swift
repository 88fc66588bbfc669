/// How `JSONValue` is written out.
public struct JSONWriteOptions: Sendable, Equatable {
    /// Indented output in JsonCpp's styled layout (3 spaces, `"key" : `, every non-empty container on its own
    /// lines); false writes everything on one line without spaces.
    public var pretty: Bool
    /// Writes object members ordered by the UTF-8 bytes of their keys instead of insertion order.
    public var sortKeys: Bool
    /// Writes every non-ASCII character as `\uXXXX` (surrogate pairs above U+FFFF); false keeps it as UTF-8.
    public var escapeNonASCII: Bool

    public init(pretty: Bool = false, sortKeys: Bool = false, escapeNonASCII: Bool = false) {
        self.pretty = pretty
        self.sortKeys = sortKeys
        self.escapeNonASCII = escapeNonASCII
    }

    /// One line, keys in insertion order, UTF-8 kept.
    public static let compact = JSONWriteOptions()
    /// Exactly what Orthanc's REST API answers: JsonCpp's styled writer with 3-space indentation, sorted keys,
    /// non-ASCII escaped, no final newline.
    public static let orthanc = JSONWriteOptions(pretty: true, sortKeys: true, escapeNonASCII: true)
}

extension JSONValue {
    /// The JSON text as UTF-8 bytes.
    public func serializedBytes(_ options: JSONWriteOptions = .compact) -> [UInt8] {
        var writer = JSONWriter(options: options)
        writer.write(self)
        return writer.out
    }

    /// Some of the elements of a top-level array, written on their own so that one large answer can be written on
    /// several threads; `joinedArray` puts the fragments together.
    public static func arrayFragment(_ elements: [JSONValue], _ options: JSONWriteOptions) -> [UInt8] {
        var writer = JSONWriter(options: options)
        writer.writeElements(elements)
        return writer.out
    }

    /// The array of every fragment's elements, in order: byte for byte what writing them as one `.array` gives.
    public static func joinedArray(_ fragments: [[UInt8]], _ options: JSONWriteOptions) -> [UInt8] {
        let parts = fragments.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return Array("[]".utf8) }
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(parts.reduce(3) { $0 + $1.count + 1 })
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += part
        }
        if options.pretty { out.append(UInt8(ascii: "\n")) }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The JSON text (`pretty: true` gives Orthanc's layout, see `JSONWriteOptions.orthanc`).
    public func serialized(pretty: Bool = false) -> String {
        serialized(pretty ? .orthanc : .compact)
    }

    /// The JSON text written with `options`.
    public func serialized(_ options: JSONWriteOptions) -> String {
        String(decoding: serializedBytes(options), as: UTF8.self)
    }
}

/// Writes JSON text into a byte buffer, following JsonCpp's `StreamWriterBuilder` layout when pretty (its
/// `indented` flag decides whether a value starts on a fresh line).
struct JSONWriter {
    let options: JSONWriteOptions
    var out: [UInt8] = []
    private var indentation: [UInt8] = []
    /// True when the next value starts where a line has just been indented for it.
    var indented = true

    init(options: JSONWriteOptions) {
        self.options = options
        out.reserveCapacity(1024)
    }

    mutating func write(_ value: JSONValue) {
        indented = true
        writeValue(value)
    }

    mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: out += Self.nullBytes
        case .bool(let b): out += b ? Self.trueBytes : Self.falseBytes
        case .integer(let i): out += Array(String(i).utf8)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let items): writeArray(items)
        case .object(let object): writeObject(object)
        }
    }

    private static let nullBytes = Array("null".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)

    private mutating func writeDouble(_ d: Double) {
        guard d.isFinite else { out += Self.nullBytes; return }
        // Integral values print without a fraction ("3", not "3.0"); others in Swift's shortest round-trip form,
        // which is valid JSON ("0.1", "1e+20", "5e-324").
        if d == 0 {
            out += d.sign == .minus ? [UInt8(ascii: "-"), UInt8(ascii: "0")] : [UInt8(ascii: "0")]
        } else if d == d.rounded(), abs(d) < 1e15 {
            out += Array(String(Int64(d)).utf8)
        } else {
            out += Array(d.description.utf8)
        }
    }

    /// The elements of a top-level array without its brackets, each preceded in the pretty layout by the line break
    /// and indentation `writeArray` puts before it.
    mutating func writeElements(_ items: [JSONValue]) {
        if options.pretty { indent() }
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if options.pretty { writeIndent() }
            indented = true
            writeValue(item)
            indented = false
        }
        if options.pretty { unindent() }
    }

    private mutating func writeArray(_ items: [JSONValue]) {
        guard !items.isEmpty else { push("[]"); return }
        guard options.pretty else {
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeValue(item)
            }
            out.append(UInt8(ascii: "]"))
            return
        }
        writeWithIndent("[")
        indent()
        for (i, item) in items.enumerated() {
            if !indented { writeIndent() }
            indented = true
            writeValue(item)
            indented = false
            if i < items.count - 1 { out.append(UInt8(ascii: ",")) }
        }
        unindent()
        writeWithIndent("]")
    }

    private mutating func writeObject(_ object: JSONObject) {
        guard !object.isEmpty else { push("{}"); return }
        let inOrder: (JSONObject.Member, JSONObject.Member) -> Bool = { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        // Objects built in key order (main tags, most answers' fixed parts) skip the sort and its copy.
        var members = object.members
        if options.sortKeys, zip(members, members.dropFirst()).contains(where: { !inOrder($0, $1) }) {
            members.sort(by: inOrder)
        }
        guard options.pretty else {
            out.append(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(m.key)
                out.append(UInt8(ascii: ":"))
                writeValue(m.value)
            }
            out.append(UInt8(ascii: "}"))
            return
        }
        writeWithIndent("{")
        indent()
        for (i, m) in members.enumerated() {
            if !indented { writeIndent() }
            writeString(m.key)
            indented = false
            out += Self.colon
            writeValue(m.value)
            if i < members.count - 1 { out.append(UInt8(ascii: ",")) }
        }
        unindent()
        writeWithIndent("}")
    }

    static let colon = Array(" : ".utf8)

    mutating func push(_ text: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func writeWithIndent(_ text: StaticString) {
        if !indented { writeIndent() }
        push(text)
        indented = false
    }

    mutating func writeIndent() {
        out.append(UInt8(ascii: "\n"))
        out += indentation
    }

    mutating func indent() { indentation += [0x20, 0x20, 0x20] }
    mutating func unindent() { indentation.removeLast(min(3, indentation.count)) }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        let escapeNonASCII = options.escapeNonASCII
        // Most strings (keys, UIDs, dates, codes) need no escape: their bytes go out as they are.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            let plain = !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || ($0 >= 0x80 && escapeNonASCII) }
            if plain { out.append(contentsOf: bytes) }
            return plain
        } ?? false
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0 ..< 0x20: writeUnicodeEscape(UInt16(v))
            case 0x20 ..< 0x80: out.append(UInt8(v))
            default:
                if !escapeNonASCII {
                    appendUTF8(v)
                } else if v < 0x10000 {
                    writeUnicodeEscape(UInt16(v))
                } else {
                    let u = v - 0x10000
                    writeUnicodeEscape(UInt16(0xD800 + (u >> 10)))
                    writeUnicodeEscape(UInt16(0xDC00 + (u & 0x3FF)))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func appendUTF8(_ v: UInt32) {
        if v < 0x800 {
            out += [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
        } else if v < 0x10000 {
            out += [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        } else {
            out += [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
        }
    }

    private mutating func writeUnicodeEscape(_ unit: UInt16) {
        out += [0x5C, UInt8(ascii: "u"),
                Self.hex[Int(unit >> 12)], Self.hex[Int(unit >> 8 & 0xF)],
                Self.hex[Int(unit >> 4 & 0xF)], Self.hex[Int(unit & 0xF)]]
    }
}
