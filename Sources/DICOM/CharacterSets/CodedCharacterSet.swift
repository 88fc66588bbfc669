/// A coded character set that ISO 2022 can designate to G0 or G1 (PS3.3 Tables C.12-3 and C.12-4).
enum CodedCharacterSet: Sendable, Hashable {
    /// ISO-IR 6, ASCII (G0).
    case ascii
    /// ISO-IR 14, JIS X 0201 Romaji (G0); read as ASCII, which it equals except for two glyphs.
    case jisRoman
    /// ISO-IR 13, JIS X 0201 Katakana (G1).
    case katakana
    /// The right half of an ISO 8859 (or TIS 620) single-byte set (G1).
    case upperHalf(SingleByteCode)
    /// ISO-IR 87, JIS X 0208 Kanji (G0, two bytes).
    case jisX0208
    /// ISO-IR 159, JIS X 0212 supplementary Kanji (G0, two bytes).
    case jisX0212
    /// ISO-IR 149, KS X 1001 Hangul and Hanja (G1, two bytes).
    case ksX1001
    /// ISO-IR 58, GB 2312 simplified Chinese (G1, two bytes).
    case gb2312

    /// True for sets invoked into the low half (bytes 0x21–0x7E).
    var isG0: Bool {
        switch self {
        case .ascii, .jisRoman, .jisX0208, .jisX0212: return true
        default: return false
        }
    }

    /// True for two-byte (94×94) sets.
    var isDoubleByte: Bool {
        switch self {
        case .jisX0208, .jisX0212, .ksX1001, .gb2312: return true
        default: return false
        }
    }

    /// The escape sequence that designates this set (PS3.3 Tables C.12-3/C.12-4).
    var escape: [UInt8] {
        switch self {
        case .ascii: return [0x1B, 0x28, 0x42]              // ESC ( B
        case .jisRoman: return [0x1B, 0x28, 0x4A]           // ESC ( J
        case .katakana: return [0x1B, 0x29, 0x49]           // ESC ) I
        case .upperHalf(let code): return [0x1B, 0x2D, code.finalByte] // ESC - F
        case .jisX0208: return [0x1B, 0x24, 0x42]           // ESC $ B
        case .jisX0212: return [0x1B, 0x24, 0x28, 0x44]     // ESC $ ( D
        case .ksX1001: return [0x1B, 0x24, 0x29, 0x43]      // ESC $ ) C
        case .gb2312: return [0x1B, 0x24, 0x29, 0x41]       // ESC $ ) A
        }
    }

    /// Reads an escape sequence at `bytes[index]` (which is ESC): the set it designates and its length.
    /// Lenient: any set DICOM defines is accepted, declared in (0008,0005) or not.
    static func parseEscape(_ bytes: [UInt8], at index: Int) -> (set: CodedCharacterSet, length: Int)? {
        func at(_ k: Int) -> UInt8? { index + k < bytes.count ? bytes[index + k] : nil }
        switch (at(1), at(2), at(3)) {
        case (0x28, 0x42, _): return (.ascii, 3)
        case (0x28, 0x4A, _): return (.jisRoman, 3)
        case (0x29, 0x49, _): return (.katakana, 3)
        case (0x2D, let f?, _):
            guard let code = SingleByteCode(finalByte: f) else { return nil }
            return (.upperHalf(code), 3)
        case (0x24, 0x42, _), (0x24, 0x40, _): return (.jisX0208, 3) // ESC $ @ is the 1978 edition, same layout
        case (0x24, 0x28, 0x42): return (.jisX0208, 4)
        case (0x24, 0x28, 0x44): return (.jisX0212, 4)
        case (0x24, 0x29, 0x43): return (.ksX1001, 4)
        case (0x24, 0x29, 0x41): return (.gb2312, 4)
        default: return nil
        }
    }
}

/// The single-byte character sets of PS3.3 C.12.1.1.2, with the iconv name used to build their tables.
enum SingleByteCode: String, Sendable, Hashable, CaseIterable {
    case latin1 = "ISO-8859-1"      // ISO-IR 100
    case latin2 = "ISO-8859-2"      // ISO-IR 101
    case latin3 = "ISO-8859-3"      // ISO-IR 109
    case latin4 = "ISO-8859-4"      // ISO-IR 110
    case cyrillic = "ISO-8859-5"    // ISO-IR 144
    case arabic = "ISO-8859-6"      // ISO-IR 127
    case greek = "ISO-8859-7"       // ISO-IR 126
    case hebrew = "ISO-8859-8"      // ISO-IR 138
    case latin5 = "ISO-8859-9"      // ISO-IR 148
    case latin9 = "ISO-8859-15"     // ISO-IR 203
    case thai = "TIS-620"           // ISO-IR 166
    case windows1251 = "WINDOWS-1251" // not DICOM: Orthanc's "Windows1251" default encoding

    /// The final byte of ESC - F that designates the set to G1 (none for Windows-1251).
    var finalByte: UInt8 {
        switch self {
        case .latin1: return 0x41
        case .latin2: return 0x42
        case .latin3: return 0x43
        case .latin4: return 0x44
        case .cyrillic: return 0x4C
        case .arabic: return 0x47
        case .greek: return 0x46
        case .hebrew: return 0x48
        case .latin5: return 0x4D
        case .latin9: return 0x62
        case .thai: return 0x54
        case .windows1251: return 0x00
        }
    }

    init?(finalByte: UInt8) {
        guard finalByte != 0, let code = SingleByteCode.allCases.first(where: { $0.finalByte == finalByte }) else {
            return nil
        }
        self = code
    }

    /// Unicode scalars of bytes 0x80–0xFF (U+FFFD where the set defines nothing), built once from iconv.
    var upperTable: [Unicode.Scalar] { SingleByteTables.shared.decode[index] }

    /// Byte for a scalar of the upper half, if the set has it.
    func byte(for scalar: Unicode.Scalar) -> UInt8? { SingleByteTables.shared.encode[index][scalar] }

    /// Position in `allCases`, for the tables.
    fileprivate var index: Int {
        switch self {
        case .latin1: return 0
        case .latin2: return 1
        case .latin3: return 2
        case .latin4: return 3
        case .cyrillic: return 4
        case .arabic: return 5
        case .greek: return 6
        case .hebrew: return 7
        case .latin5: return 8
        case .latin9: return 9
        case .thai: return 10
        case .windows1251: return 11
        }
    }
}

/// Decoding and encoding tables of every single-byte set, made once on first use (a Swift global is lazily
/// and thread-safely initialised), so single-byte text never goes through iconv after that.
struct SingleByteTables: Sendable {
    static let shared = SingleByteTables()

    /// By `SingleByteCode.index`.
    let decode: [[Unicode.Scalar]]
    let encode: [[Unicode.Scalar: UInt8]]

    private init() {
        var decode: [[Unicode.Scalar]] = []
        var encode: [[Unicode.Scalar: UInt8]] = []
        for code in SingleByteCode.allCases {
            assert(code.index == decode.count, "allCases order and index disagree")
            var table: [Unicode.Scalar] = []
            var reverse: [Unicode.Scalar: UInt8] = [:]
            for byte in UInt8(0x80) ... 0xFF {
                let scalars = Iconv.decode([byte], from: code.rawValue).map { Array($0.unicodeScalars) }
                let scalar: Unicode.Scalar
                switch scalars {
                case .some(let s) where s.count == 1: scalar = s[0]
                case .some: scalar = "\u{FFFD}"
                case .none: scalar = Unicode.Scalar(byte) // iconv lacks the set: Latin-1 rather than nothing
                }
                table.append(scalar)
                if scalar != "\u{FFFD}", reverse[scalar] == nil { reverse[scalar] = byte }
            }
            decode.append(table)
            encode.append(reverse)
        }
        self.decode = decode
        self.encode = encode
    }
}
