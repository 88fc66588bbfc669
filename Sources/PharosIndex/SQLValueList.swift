import DICOM
internal import GRDB

/// A list of values bound as one JSON array argument and read back with `json_each`: the SQL text no longer depends
/// on the list's length, so the statement is prepared once and cached, and no list runs into SQLite's limit on
/// bound variables.
enum SQLValueList {
    /// `IN (…)` over the values of the array bound to the one `?`.
    static let membership = "IN (SELECT value FROM json_each(?))"

    /// The JSON array of `values`, to bind to `membership`'s `?`.
    static func argument(_ values: [String]) -> String {
        JSONValue.array(values.map { .string($0) }).serialized(.compact)
    }

    static func argument(_ values: [Int64]) -> String {
        var out = "["
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            out += String(v)
        }
        return out + "]"
    }

    /// Up to this many values, a list inside a correlated subquery is bound value by value: SQLite evaluates a
    /// `json_each` subquery again for every outer row, which made a study-level ModalitiesInStudy test slower.
    static let inlineLimit = 64

    /// `IN (…)` for a list of `count` values, with the arguments `arguments(_:)` gives for it.
    static func membership(count: Int) -> String {
        count <= inlineLimit ? "IN (" + Array(repeating: "?", count: count).joined(separator: ",") + ")" : membership
    }

    static func arguments(_ values: [String]) -> [any DatabaseValueConvertible & Sendable] {
        values.count <= inlineLimit ? values : [argument(values)]
    }
}
