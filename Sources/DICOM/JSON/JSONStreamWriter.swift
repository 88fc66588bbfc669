/// Writes JSON text member by member, in the same layout as `JSONValue.serializedBytes`, without building the
/// `JSONValue` tree first: long answers (thousands of expanded resources) spent more time making and freeing the
/// tree than writing it.
///
/// The caller writes object members in the order the options ask for: with `sortKeys`, by the UTF-8 bytes of the
/// keys.
public struct JSONStreamWriter {
    private var writer: JSONWriter
    /// Per open object or fragment: whether a member or element was written in it yet.
    private var started: [Bool] = []

    public init(options: JSONWriteOptions) {
        writer = JSONWriter(options: options)
    }

    /// The text written so far.
    public var bytes: [UInt8] { writer.out }

    private var pretty: Bool { writer.options.pretty }

    // MARK: top-level array fragments (see `JSONValue.arrayFragment`)

    /// Starts elements of a top-level array written without its brackets, for `JSONValue.joinedArray`.
    public mutating func beginFragment() {
        if pretty { writer.indent() }
        started.append(false)
    }

    /// Starts the next element of the fragment; write its value next.
    public mutating func element() {
        separate()
        if pretty { writer.writeIndent() }
        writer.indented = true
    }

    /// Ends the fragment.
    public mutating func endFragment() {
        if pretty { writer.unindent() }
        started.removeLast()
    }

    // MARK: objects

    /// Opens a non-empty object (an empty one is `emptyObject()`).
    public mutating func beginObject() {
        if pretty {
            writer.writeWithIndent("{")
            writer.indent()
        } else {
            writer.out.append(UInt8(ascii: "{"))
        }
        started.append(false)
    }

    /// Writes the key of the next member; write its value next.
    public mutating func key(_ key: String) {
        separate()
        if pretty {
            if !writer.indented { writer.writeIndent() }
            writer.writeString(key)
            writer.indented = false
            writer.out += JSONWriter.colon
        } else {
            writer.writeString(key)
            writer.out.append(UInt8(ascii: ":"))
        }
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        started.removeLast()
        if pretty {
            writer.unindent()
            writer.writeWithIndent("}")
        } else {
            writer.out.append(UInt8(ascii: "}"))
        }
    }

    /// `{}`.
    public mutating func emptyObject() { writer.push("{}") }

    // MARK: values

    /// A string value.
    public mutating func string(_ value: String) { writer.writeString(value) }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        guard !values.isEmpty else { writer.push("[]"); return }
        guard pretty else {
            writer.out.append(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { writer.out.append(UInt8(ascii: ",")) }
                writer.writeString(v)
            }
            writer.out.append(UInt8(ascii: "]"))
            return
        }
        writer.writeWithIndent("[")
        writer.indent()
        for (i, v) in values.enumerated() {
            if !writer.indented { writer.writeIndent() }
            writer.writeString(v)
            writer.indented = false
            if i < values.count - 1 { writer.out.append(UInt8(ascii: ",")) }
        }
        writer.unindent()
        writer.writeWithIndent("]")
    }

    /// Any other value, written as `JSONValue` writes it.
    public mutating func value(_ value: JSONValue) { writer.writeValue(value) }

    private mutating func separate() {
        guard let last = started.indices.last else { return }
        if started[last] { writer.out.append(UInt8(ascii: ",")) } else { started[last] = true }
    }
}
