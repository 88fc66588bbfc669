/// What one value of Specific Character Set (0008,0005) stands for (PS3.3 C.12.1.1.2).
struct DefinedTerm: Sendable, Hashable {
    /// How a value whose first term is this one is decoded.
    enum Form: Sendable, Hashable {
        /// ISO 2022 style: a G0 and an optional G1 set, escapes switching among the declared sets.
        case iso2022(g0: CodedCharacterSet, g1: CodedCharacterSet?)
        /// UTF-8 (ISO_IR 192): no code extensions.
        case utf8
        /// A multi-byte encoding read whole by iconv (GB18030, GBK): no code extensions.
        case iconv(String)
    }

    let form: Form
    /// Whether the term is spelled exactly as PS3.3 defines it.
    let isStandard: Bool

    /// The sets this term makes available to code extensions (its G0 and G1).
    var sets: [CodedCharacterSet] {
        guard case .iso2022(let g0, let g1) = form else { return [] }
        return [g0] + (g1.map { [$0] } ?? [])
    }

    /// Recognises a defined term, tolerating the usual misspellings ("ISO_IR_100", "ISO-IR 100", "iso_ir 100").
    init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: " \0")
        if let form = DefinedTerm.exact[trimmed] {
            self.form = form
            isStandard = true
            return
        }
        guard let form = DefinedTerm.lenient(trimmed) else { return nil }
        self.form = form
        isStandard = false
    }

    private init(form: Form, isStandard: Bool) {
        self.form = form
        self.isStandard = isStandard
    }

    /// The default repertoire (an empty first value).
    static let ascii = DefinedTerm(form: .iso2022(g0: .ascii, g1: nil), isStandard: true)

    private static func singleByte(_ code: SingleByteCode) -> Form { .iso2022(g0: .ascii, g1: .upperHalf(code)) }

    /// The defined terms with their sets; the ISO 2022 forms differ only in allowing escapes, which are honoured
    /// leniently for both spellings.
    private static let exact: [String: Form] = {
        var table: [String: Form] = [
            "": .iso2022(g0: .ascii, g1: nil),
            "ISO 2022 IR 6": .iso2022(g0: .ascii, g1: nil),
            "ISO_IR 13": .iso2022(g0: .jisRoman, g1: .katakana),
            "ISO 2022 IR 13": .iso2022(g0: .jisRoman, g1: .katakana),
            "ISO 2022 IR 87": .iso2022(g0: .jisX0208, g1: nil),
            "ISO 2022 IR 159": .iso2022(g0: .jisX0212, g1: nil),
            "ISO 2022 IR 149": .iso2022(g0: .ascii, g1: .ksX1001),
            "ISO 2022 IR 58": .iso2022(g0: .ascii, g1: .gb2312),
            "ISO_IR 192": .utf8,
            "GB18030": .iconv("GB18030"),
            "GBK": .iconv("GBK"),
        ]
        let singles: [(Int, SingleByteCode)] = [
            (100, .latin1), (101, .latin2), (109, .latin3), (110, .latin4), (144, .cyrillic), (127, .arabic),
            (126, .greek), (138, .hebrew), (148, .latin5), (203, .latin9), (166, .thai),
        ]
        for (number, code) in singles {
            table["ISO_IR \(number)"] = singleByte(code)
            table["ISO 2022 IR \(number)"] = singleByte(code)
        }
        table[nonStandardWindows1251] = singleByte(.windows1251)
        return table
    }()

    /// The term this module uses for Orthanc's "Windows1251" default encoding; it has no DICOM defined term.
    static let nonStandardWindows1251 = "WINDOWS-1251"

    /// Normalises case, separators and spacing, then looks the term up again.
    private static func lenient(_ term: String) -> Form? {
        var words: [String] = []
        var current = ""
        for ch in term.uppercased() {
            if ch == "_" || ch == "-" || ch == " " {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        // "ISO_IR100" / "ISOIR100" style: split the trailing number off.
        if let last = words.last, !last.allSatisfy(\.isNumber), let digits = last.firstIndex(where: \.isNumber) {
            words.removeLast()
            words.append(String(last[..<digits]))
            words.append(String(last[digits...]))
        }
        let joined = words.joined(separator: " ")
        switch joined {
        case "UTF8", "UTF 8", "ISO IR 192": return .utf8
        case "GB18030", "GB 18030": return .iconv("GB18030")
        case "GBK": return .iconv("GBK")
        default: break
        }
        if joined.hasPrefix("ISO 2022 IR ") { return exact["ISO 2022 IR " + joined.dropFirst(12)] }
        if joined.hasPrefix("ISO IR ") { return exact["ISO_IR " + joined.dropFirst(7)] ?? exact["ISO 2022 IR " + joined.dropFirst(7)] }
        if joined.hasPrefix("ISOIR ") { return exact["ISO_IR " + joined.dropFirst(6)] }
        return nil
    }
}
