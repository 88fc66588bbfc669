/// A JSON value (RFC 8259) whose objects keep their keys in the order they were set, so a writer can emit
/// Orthanc's sorted keys or the DICOM JSON model's `vr`-first order exactly as built.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer that fits 64 bits signed (the parser gives this for numbers without fraction or exponent).
    case integer(Int64)
    /// Any other number; non-finite values are written as `null`, since JSON has no spelling for them.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as a Double, or nil when this is not a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The number as an exact integer (a double only when it is integral and in range), or nil.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .double(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The member `key` of an object (nil for a missing key or a value that is not an object).
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` of an array (nil when out of range or not an array).
    public subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (k, v) in elements { object[k] = v }
        self = .object(object)
    }
    public init(nilLiteral: ()) { self = .null }
}

/// The members of a JSON object in insertion order; setting an existing key replaces its value in place (as
/// JsonCpp and most parsers do with duplicate keys: the last one wins).
public struct JSONObject: Sendable, Equatable, Sequence {
    /// One key and its value.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member] = []
    /// Position of each key in `members`; built only once an object grows past a few keys.
    private var positions: [String: Int] = [:]

    /// Up to here a linear scan of short keys beats building a dictionary (REST answers have 10 to 20 keys).
    private static let indexThreshold = 24

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        members.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }
    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    private func position(of key: String) -> Int? {
        if members.count > Self.indexThreshold { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    /// The value of `key`; assigning nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    rebuildPositions()
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
                if members.count > Self.indexThreshold {
                    if members.count == Self.indexThreshold + 1 { rebuildPositions() } else { positions[key] = members.count - 1 }
                }
            }
        }
    }

    /// Appends a member whose key the caller knows is not in the object yet: no search for it, which counts when
    /// a listing builds thousands of objects.
    public mutating func appendNew(_ key: String, _ value: JSONValue) {
        assert(position(of: key) == nil, "appendNew with a key already present: \(key)")
        members.append(Member(key: key, value: value))
        if members.count > Self.indexThreshold {
            if members.count == Self.indexThreshold + 1 { rebuildPositions() } else { positions[key] = members.count - 1 }
        }
    }

    private mutating func rebuildPositions() {
        positions = [:]
        guard members.count > Self.indexThreshold else { return }
        for (i, m) in members.enumerated() { positions[m.key] = i }
    }

    /// The same members ordered by the UTF-8 bytes of their keys, as JsonCpp (and so Orthanc) writes them.
    public func sortedByKey() -> JSONObject {
        var copy = self
        copy.members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        copy.rebuildPositions()
        return copy
    }

    /// Equality on members in order (two objects with the same members in another order differ).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }
}
