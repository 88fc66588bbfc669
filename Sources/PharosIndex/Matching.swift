import DICOM
import Foundation

/// Orthanc's matching rules shared by the SQL translation and the Swift-side filter: how values are normalised
/// and how a constraint compares with a stored value.
enum Matching {
    /// The copy used for case-insensitive matching: accents removed, upper case.
    static func fold(_ s: String) -> String {
        // ASCII, by far the common case, skips Foundation's Unicode folding.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: s.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
        }
        return s.folding(options: [.diacriticInsensitive], locale: nil).uppercased()
    }

    /// Dates and times compare as text once their old-style separators are removed (1990.01.02 → 19900102).
    static func normaliseValue(_ s: String, tag: Tag) -> String {
        guard MainDicomTags.isDateOrTime(tag) else { return s }
        return s.filter { $0 != "." && $0 != ":" }
    }

    /// True when the constraint matches everything (empty value, or only `*`).
    static func isUniversal(_ c: TagConstraint) -> Bool {
        switch c {
        case .equal(let v): v.isEmpty
        case .wildcard(let p): p.allSatisfy { $0 == "*" }
        case .range(let lower, let upper): (lower ?? "").isEmpty && (upper ?? "").isEmpty
        case .list(let values): values.isEmpty
        }
    }

    /// Matches one stored value in Swift (for main tags that have no indexed column).
    static func matches(_ c: TagConstraint, value raw: String?, tag: Tag, caseInsensitive: Bool) -> Bool {
        if isUniversal(c) { return true }
        guard let raw else { return false }
        let prepare: (String) -> String = { v in
            let n = normaliseValue(v, tag: tag)
            return caseInsensitive ? fold(n) : n
        }
        let value = prepare(raw)
        switch c {
        case .equal(let v): return value == prepare(v)
        case .wildcard(let p): return glob(Array(prepare(p).unicodeScalars), Array(value.unicodeScalars))
        case .range(let lower, let upper):
            if let lower, !lower.isEmpty, value < prepare(lower) { return false }
            if let upper, !upper.isEmpty, value > prepare(upper) { return false }
            return true
        case .list(let values): return values.contains { prepare($0) == value }
        }
    }

    /// `*` any run, `?` one character; iterative with backtracking to the last star (linear in practice).
    static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) && pattern[p] != "*" {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// A DICOM wildcard pattern as an SQLite GLOB pattern: `[` is the only GLOB character DICOM does not share.
    static func globPattern(_ dicom: String) -> String {
        dicom.replacingOccurrences(of: "[", with: "[[]")
    }
}
