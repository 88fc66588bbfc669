/// Specific Character Set (0008,0005): how the text of LO, LT, PN, SH, ST, UC and UT values is encoded
/// (PS3.3 C.12.1.1.2, PS3.5 §6.1), with decoding to and encoding from Unicode.
///
/// Every defined term is supported, single-byte, multi-byte and ISO 2022 code extensions (escape sequences).
/// Decoding never fails: bytes that do not decode become U+FFFD, and a first term that is not a defined term is
/// read with the `fallback` given (Latin-1 over ASCII when none is).
public struct SpecificCharacterSet: Sendable, Hashable {
    /// The defined terms as declared, one per value of (0008,0005); the first may be empty.
    public let terms: [String]
    /// The terms used in place of an unknown first term, if a fallback was given.
    public let fallbackTerms: [String]?
    /// How values are decoded, worked out once from the terms.
    let plan: Plan

    public init(terms: [String]) { self.init(terms: terms, fallback: nil) }

    /// A character set whose unknown first term is read as `fallback` (Orthanc reads such files with its
    /// `DefaultEncoding`).
    public init(terms: [String], fallback: SpecificCharacterSet?) {
        self.terms = terms.isEmpty ? [""] : terms
        fallbackTerms = fallback?.terms
        plan = Plan(terms: self.terms, fallback: fallback?.plan)
    }

    /// Parses the raw value of (0008,0005).
    public init(value: String) { self.init(value: value, fallback: nil) }

    /// Parses the raw value of (0008,0005), reading an unknown first term as `fallback`.
    public init(value: String, fallback: SpecificCharacterSet?) {
        let terms = value.split(separator: "\\", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: " \0") }
        self.init(terms: terms, fallback: fallback)
    }

    /// ISO-IR 6 (ASCII), the default repertoire.
    public static let `default` = SpecificCharacterSet(terms: [""])

    /// ISO_IR 192, UTF-8.
    public static let utf8 = SpecificCharacterSet(terms: ["ISO_IR 192"])

    /// Whether every term is a defined term this type knows (common misspellings such as "ISO_IR_100" count).
    public var isKnown: Bool { unknownTerms.isEmpty }

    /// The terms that are not defined terms; an unknown first term means values are read with the fallback.
    public var unknownTerms: [String] { terms.filter { DefinedTerm($0) == nil } }

    /// Whether values can switch sets with ISO 2022 escape sequences (several values, or an "ISO 2022" term).
    public var usesCodeExtensions: Bool { !plan.extensions.isEmpty || terms.contains { $0.hasPrefix("ISO 2022") } }

    /// The same terms, with unknown first terms read as `fallback`.
    public func withFallback(_ fallback: SpecificCharacterSet) -> SpecificCharacterSet {
        SpecificCharacterSet(terms: terms, fallback: fallback)
    }

    /// Decodes a value's bytes to Unicode; padding is the caller's business.
    public func decode(_ bytes: some Collection<UInt8>, vr: VR) -> String {
        // One generic call, then concrete code: unspecialised generic loops over bytes are slow.
        if let text = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0, vr: vr) }) { return text }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0, vr: vr) }
    }

    private func decode(buffer: UnsafeBufferPointer<UInt8>, vr: VR) -> String {
        // Most files are ASCII or UTF-8: no table, no iconv.
        if case .utf8 = plan.primary { return String(decoding: buffer, as: UTF8.self) }
        if !buffer.contains(where: { $0 >= 0x80 || $0 == 0x1B }) { return String(decoding: buffer, as: UTF8.self) }
        let array = Array(buffer)
        switch plan.primary {
        case .utf8:
            return String(decoding: array, as: UTF8.self)
        case .iconv(let name):
            return Iconv.decode(array, from: name) ?? Self.latin1(array)
        case .iso2022(let g0, let g1):
            // JIS X 0201 without escapes is read as Shift_JIS, its superset: files declaring ISO_IR 13 often hold
            // Shift_JIS Kanji, and every valid JIS X 0201 byte means the same in both.
            if g1 == .katakana, !array.contains(0x1B), let text = Iconv.decode(array, from: "CP932") {
                return text
            }
            let decoder = ISO2022Decoder(
                initialG0: g0, initialG1: g1,
                implicitG1: plan.extensions.first { !$0.isG0 } ?? .upperHalf(.latin1),
                resetsAtComponents: vr == .PN,
                resetsAtBackslash: vr != .LT && vr != .ST && vr != .UT)
            return decoder.decode(array)
        }
    }

    /// Encodes text for a value of this character set: UTF-8 for ISO_IR 192, GB18030/GBK through iconv, and for
    /// the ISO 2022 sets the first term's repertoire plus, with code extensions, the other terms' sets with their
    /// escape sequences (so Japanese with ISO 2022 IR 87, Korean with IR 149 and Chinese with IR 58 are written as
    /// PS3.5 Annexes H, I and J show). A character that no declared set has is written as '?'.
    public func encode(_ text: String) -> [UInt8] {
        switch plan.primary {
        case .utf8:
            return Array(text.utf8)
        case .iconv(let name):
            // The sets reached through iconv all keep ASCII as is, as decoding assumes too: no handle, no lock.
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
            return Iconv.encode(text, to: name) ?? text.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : 0x3F }
        case .iso2022(let g0, let g1):
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
            return ISO2022Encoder(initialG0: g0, initialG1: g1, extensions: plan.extensions).encode(text)
        }
    }

    /// Equality and hashing on what was declared.
    public static func == (lhs: SpecificCharacterSet, rhs: SpecificCharacterSet) -> Bool {
        lhs.terms == rhs.terms && lhs.fallbackTerms == rhs.fallbackTerms
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(terms)
        hasher.combine(fallbackTerms)
    }

    private static func latin1(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

extension SpecificCharacterSet {
    /// The decoding plan: the first term's sets, and the sets the other terms make available to escapes.
    struct Plan: Sendable, Hashable {
        var primary: DefinedTerm.Form
        var extensions: [CodedCharacterSet]

        init(terms: [String], fallback: Plan?) {
            let first = terms.first.flatMap { DefinedTerm($0) }
            if first == nil, let fallback {
                self = fallback
                return
            }
            var primary = (first ?? .ascii).form
            var extensions: [CodedCharacterSet] = []
            // A two-byte G0 cannot be the initial G0 (ASCII bytes would be read as Kanji): start in ASCII and
            // let the set be designated by its escape.
            if case .iso2022(let g0, let g1) = primary, g0.isDoubleByte {
                primary = .iso2022(g0: .ascii, g1: g1)
                extensions.append(g0)
            }
            for term in terms.dropFirst() {
                guard let defined = DefinedTerm(term) else { continue }
                for set in defined.sets where set != .ascii && set != .jisRoman && !extensions.contains(set) {
                    extensions.append(set)
                }
            }
            self.primary = primary
            self.extensions = extensions
        }
    }
}
