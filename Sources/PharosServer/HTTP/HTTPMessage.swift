import NIOCore
import NIOHTTP1

/// A request method; the raw value is its name on the wire.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A method name as a client may send it (any case); nil when it is not a token.
    public init?(_ name: String) {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        rawValue = name.uppercased()
    }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let head = HTTPMethod(rawValue: "HEAD")

    public var description: String { rawValue }
}

/// A header name, compared without regard to case.
public struct HTTPFieldName: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The name as written.
    public let rawName: String
    /// The lower-cased name, which equality and hashing use.
    private let canonical: String
    public init(_ name: String) {
        rawName = name
        canonical = name.lowercased()
    }
    public init(stringLiteral value: String) { self.init(value) }

    public static func == (a: HTTPFieldName, b: HTTPFieldName) -> Bool { a.canonical == b.canonical }
    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    public static let accept: HTTPFieldName = "Accept"
    public static let allow: HTTPFieldName = "Allow"
    public static let authorization: HTTPFieldName = "Authorization"
    public static let connection: HTTPFieldName = "Connection"
    public static let contentDisposition: HTTPFieldName = "Content-Disposition"
    public static let contentLength: HTTPFieldName = "Content-Length"
    public static let contentType: HTTPFieldName = "Content-Type"
    public static let expect: HTTPFieldName = "Expect"
    public static let server: HTTPFieldName = "Server"
    public static let wwwAuthenticate: HTTPFieldName = "WWW-Authenticate"
}

/// Header fields in order; lookups ignore case and answer the first field of a name.
public struct HTTPFields: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: HTTPFieldName, value: String)] = []

    public init() {}
    public init(dictionaryLiteral elements: (HTTPFieldName, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    init(_ headers: HTTPHeaders) {
        fields = headers.map { (name: HTTPFieldName($0.name), value: $0.value) }
    }

    public subscript(name: HTTPFieldName) -> String? {
        get { fields.first { $0.name == name }?.value }
        set {
            fields.removeAll { $0.name == name }
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    public mutating func append(_ name: HTTPFieldName, _ value: String) { fields.append((name: name, value: value)) }
    public mutating func append(contentsOf other: HTTPFields) { fields += other.fields }

    public func makeIterator() -> IndexingIterator<[(name: HTTPFieldName, value: String)]> { fields.makeIterator() }
}

/// A response status: its code and reason phrase.
public struct HTTPStatus: Hashable, Sendable {
    public let code: Int
    public let reasonPhrase: String

    public init(code: Int, reasonPhrase: String? = nil) {
        self.code = code
        self.reasonPhrase = reasonPhrase ?? HTTPResponseStatus(statusCode: code).reasonPhrase
    }

    public static let ok = HTTPStatus(code: 200)
    public static let unauthorized = HTTPStatus(code: 401)
    public static let methodNotAllowed = HTTPStatus(code: 405)
}

/// The target of a request: its path as sent and its decoded query arguments.
public struct URI: Sendable {
    /// The path, still percent-encoded, without the query.
    public let path: String
    public let queryParameters: QueryParameters

    public init(_ target: String) {
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            queryParameters = QueryParameters(String(target[target.index(after: mark)...]))
        } else {
            path = target
            queryParameters = QueryParameters("")
        }
    }
}

/// `name=value` pairs of a query string, percent-decoded; a name without `=` has an empty value.
public struct QueryParameters: Sendable {
    private let pairs: [(String, String)]

    init(_ query: String) {
        pairs = query.split(separator: "&").map { part in
            guard let equal = part.firstIndex(of: "=") else { return (URI.percentDecoded(part), "") }
            return (URI.percentDecoded(part[..<equal]), URI.percentDecoded(part[part.index(after: equal)...]))
        }
    }

    /// The first value of `name`.
    public func get(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
}

extension URI {
    /// `%XX` escapes decoded as UTF-8; a malformed escape is kept as it is.
    static func percentDecoded(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// An HTTP request as routes see it, its body already received whole.
public struct Request: Sendable {
    public var method: HTTPMethod
    public var uri: URI
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(method: HTTPMethod, uri: URI, headers: HTTPFields, body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response: its body whole, or written in parts by `stream` as it is produced (for answers too large to
/// hold in memory, such as archives).
public struct Response: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPFields
    public var body: [UInt8]
    /// Writes the body in parts instead of `body`; the answer then has no Content-Length (chunked in HTTP/1.1).
    public var stream: (@Sendable (BodyWriter) async throws -> Void)?

    public init(status: HTTPStatus, headers: HTTPFields = [:], body: [UInt8] = [],
                stream: (@Sendable (BodyWriter) async throws -> Void)? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }
}

/// Where a streamed response writes its body: each write returns once the part is handed to the socket, so a
/// producer never runs ahead of a slow client by more than one part.
public protocol BodyWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
