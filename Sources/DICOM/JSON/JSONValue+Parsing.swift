/// Limits and leniencies of the JSON parser.
public struct JSONParseOptions: Sendable, Equatable {
    /// Deepest nesting of arrays and objects accepted; deeper input is refused rather than risking the stack.
    public var maxDepth: Int
    /// Accepts `//` and `/* */` comments between tokens, as Orthanc's configuration files use them.
    public var allowsComments: Bool

    public init(maxDepth: Int = 256, allowsComments: Bool = false) {
        self.maxDepth = maxDepth
        self.allowsComments = allowsComments
    }
}

extension JSONValue {
    /// Parses JSON text (RFC 8259): one value, surrounded by whitespace only. Errors are `.invalidValue` (or
    /// `.nestingTooDeep`) with the byte offset where the text went wrong.
    public static func parse(_ bytes: some Collection<UInt8>,
                             options: JSONParseOptions = JSONParseOptions()) throws(DICOMError) -> JSONValue {
        let array = Array(bytes)
        var parser = JSONParser(bytes: array, options: options)
        return try parser.parseDocument()
    }

    /// Parses JSON text given as a string.
    public static func parse(_ text: String, options: JSONParseOptions = JSONParseOptions()) throws(DICOMError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }
}

/// A recursive-descent parser over bytes; every read is bounds-checked and nesting is capped.
struct JSONParser {
    let bytes: [UInt8]
    let options: JSONParseOptions
    var position = 0

    init(bytes: [UInt8], options: JSONParseOptions) {
        self.bytes = bytes
        self.options = options
    }

    mutating func parseDocument() throws(DICOMError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated, as JsonCpp does.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try skipWhitespace()
        guard position < bytes.count else { throw error("the text is empty, a JSON value was expected") }
        let value = try parseValue(depth: 0)
        try skipWhitespace()
        guard position == bytes.count else { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String, at offset: Int? = nil) -> DICOMError {
        DICOMError(.invalidValue, "Invalid JSON: " + reason, offset: offset ?? position)
    }

    private func describeHere() -> String {
        guard position < bytes.count else { return "the end of the text" }
        let b = bytes[position]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    private mutating func skipWhitespace() throws(DICOMError) {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
            case UInt8(ascii: "/") where options.allowsComments:
                try skipComment()
            default:
                return
            }
        }
    }

    private mutating func skipComment() throws(DICOMError) {
        let start = position
        guard position + 1 < bytes.count else { throw error("a lone '/' is not a comment") }
        switch bytes[position + 1] {
        case UInt8(ascii: "/"):
            position += 2
            while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        case UInt8(ascii: "*"):
            position += 2
            while position + 1 < bytes.count, !(bytes[position] == UInt8(ascii: "*") && bytes[position + 1] == UInt8(ascii: "/")) {
                position += 1
            }
            guard position + 1 < bytes.count else { throw error("a /* comment is not closed", at: start) }
            position += 2
        default:
            throw error("a lone '/' is not a comment")
        }
    }

    private mutating func parseValue(depth: Int) throws(DICOMError) -> JSONValue {
        guard position < bytes.count else { throw error("the text ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a value, found \(describeHere())")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(DICOMError) {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard position + count <= bytes.count, bytes[position ..< position + count].elementsEqual(expected) else {
            throw error("expected '\(word)'")
        }
        position += count
    }

    private mutating func checkDepth(_ depth: Int) throws(DICOMError) {
        guard depth <= options.maxDepth else {
            throw DICOMError(.nestingTooDeep, "Invalid JSON: arrays and objects nested deeper than \(options.maxDepth)",
                             offset: position)
        }
    }

    private mutating func parseArray(depth: Int) throws(DICOMError) -> JSONValue {
        try checkDepth(depth)
        position += 1
        var items: [JSONValue] = []
        try skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            try skipWhitespace()
            items.append(try parseValue(depth: depth))
            try skipWhitespace()
            guard position < bytes.count else { throw error("an array is not closed with ']'") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw error("expected ',' or ']' in an array, found \(describeHere())")
        }
    }

    private mutating func parseObject(depth: Int) throws(DICOMError) -> JSONValue {
        try checkDepth(depth)
        position += 1
        var object = JSONObject()
        try skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(object) }
        while true {
            try skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a quoted key in an object, found \(describeHere())")
            }
            let key = try parseString()
            try skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describeHere())")
            }
            position += 1
            try skipWhitespace()
            object[key] = try parseValue(depth: depth)
            try skipWhitespace()
            guard position < bytes.count else { throw error("an object is not closed with '}'") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(object) }
            throw error("expected ',' or '}' in an object, found \(describeHere())")
        }
    }

    private mutating func parseString() throws(DICOMError) -> String {
        let start = position
        position += 1
        var buffer: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else { throw error("a string is not closed with '\"'", at: start) }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                buffer += bytes[runStart ..< position]
                position += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if b != UInt8(ascii: "\\") { position += 1; continue }
            buffer += bytes[runStart ..< position]
            position += 1
            guard position < bytes.count else { throw error("a string ends inside an escape", at: start) }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(try parseHex4())
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate; a lone one becomes U+FFFD.
                    if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = UInt32(try parseHex4())
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            position = save
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                buffer += Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            default:
                throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))' in a string", at: position - 2)
            }
            runStart = position
        }
    }

    private mutating func parseHex4() throws(DICOMError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error("a \\u escape needs four hexadecimal digits") }
        var v: UInt16 = 0
        for _ in 0 ..< 4 {
            let b = bytes[position]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hexadecimal digits")
            }
            v = v << 4 | UInt16(digit)
            position += 1
        }
        return v
    }

    private mutating func parseNumber() throws(DICOMError) -> JSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits", at: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits after '.'", at: start) }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("a number needs digits in its exponent", at: start) }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: bytes[start ..< position], as: UTF8.self)
        if isInteger, let i = Int64(text) { return .integer(i) }
        guard let d = Double(text) else { throw error("'\(text)' is not a number", at: start) }
        return .double(d)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
