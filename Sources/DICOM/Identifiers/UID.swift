import Foundation

/// DICOM unique identifiers (PS3.5 §9): validation, trimming and generation.
public enum UID {
    /// Removes the NUL or space padding and surrounding white space a UID value may carry.
    public static func trimmed(_ uid: some StringProtocol) -> String {
        var s = Substring(uid)
        while let last = s.last, last == "\0" || last == " " || last.isWhitespace { s = s.dropLast() }
        while let first = s.first, first == " " || first.isWhitespace { s = s.dropFirst() }
        return String(s)
    }

    /// True for a syntactically valid UID: at most 64 characters, numeric components without leading zeros.
    public static func isValid(_ uid: String) -> Bool {
        guard !uid.isEmpty, uid.utf8.count <= 64 else { return false }
        for component in uid.split(separator: ".", omittingEmptySubsequences: false) {
            guard !component.isEmpty, component.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            if component.count > 1 && component.first == "0" { return false }
        }
        return true
    }

    /// A new UID of the form `2.25.<UUID as a decimal integer>` (PS3.5 §B.2).
    public static func generate() -> String {
        let uuid = UUID().uuid
        let bytes = [uuid.0, uuid.1, uuid.2, uuid.3, uuid.4, uuid.5, uuid.6, uuid.7,
                     uuid.8, uuid.9, uuid.10, uuid.11, uuid.12, uuid.13, uuid.14, uuid.15]
        return "2.25." + decimal(of: bytes)
    }

    /// A new UID under `root` (for example a site's registered root), unique by time and randomness.
    public static func generate(root: String) -> String {
        let trimmedRoot = root.hasSuffix(".") ? String(root.dropLast()) : root
        let micros = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        let random = UInt64.random(in: 0 ..< 1_000_000_000)
        var candidate = "\(trimmedRoot).\(micros).\(random)"
        if candidate.utf8.count > 64 { candidate = String(candidate.prefix(64)) }
        while candidate.hasSuffix(".") || candidate.hasSuffix("0") && candidate.split(separator: ".").last?.count == 1 {
            candidate = String(candidate.dropLast())
        }
        return candidate
    }

    /// Decimal rendering of a big-endian unsigned integer of any length.
    static func decimal(of bigEndian: [UInt8]) -> String {
        var number = bigEndian.map { UInt32($0) }
        var digits: [UInt8] = []
        while number.contains(where: { $0 != 0 }) {
            var remainder: UInt32 = 0
            for i in number.indices {
                let value = remainder << 8 | number[i]
                number[i] = value / 10
                remainder = value % 10
            }
            digits.append(UInt8(remainder) + 0x30)
        }
        if digits.isEmpty { return "0" }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
