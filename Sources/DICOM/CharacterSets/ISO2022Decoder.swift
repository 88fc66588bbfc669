/// Decodes text that uses ISO 2022 code extensions (PS3.5 §6.1.2.5): escape sequences designate sets to G0 and
/// G1, and the designations return to those of the first value of (0008,0005) at each delimiter (§6.1.2.5.3).
struct ISO2022Decoder {
    let initialG0: CodedCharacterSet
    let initialG1: CodedCharacterSet?
    /// G1 used for bytes ≥ 0x80 when nothing is designated: the first declared extension's G1, for writers that
    /// omit the escape (common with Korean), else Latin-1 so that no byte is lost.
    let implicitG1: CodedCharacterSet
    /// Whether PN component delimiters ('^', '=') reset the designations.
    let resetsAtComponents: Bool
    /// Whether the value delimiter ('\') resets them (not in LT, ST, UT, where it is text).
    let resetsAtBackslash: Bool

    func decode(_ bytes: [UInt8]) -> String {
        // UTF-8 bytes, made into a String once at the end.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var g0 = initialG0
        var g1 = initialG1
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == 0x1B {
                if let (set, length) = CodedCharacterSet.parseEscape(bytes, at: i) {
                    if set.isG0 { g0 = set } else { g1 = set }
                    i += length
                } else {
                    out.append(contentsOf: Self.replacement)
                    i += 1
                }
                continue
            }
            if c < 0x80 {
                if g0.isDoubleByte, c > 0x20, c < 0x7F {
                    var end = i
                    while end < n, bytes[end] > 0x20, bytes[end] < 0x7F { end += 1 }
                    decodeJIS(bytes[i ..< end], supplementary: g0 == .jisX0212, into: &out)
                    i = end
                    continue
                }
                out.append(c)
                if isDelimiter(c) {
                    g0 = initialG0
                    g1 = initialG1
                }
                i += 1
                continue
            }
            // High bytes: the G1 set, taken as one run up to the next byte below 0x80.
            var end = i
            while end < n, bytes[end] >= 0x80 { end += 1 }
            decodeHigh(bytes[i ..< end], set: g1 ?? implicitG1, into: &out)
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    private static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }

    private func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case 0x0A, 0x0C, 0x0D, 0x09: return true          // LF, FF, CR, TAB
        case 0x5C: return resetsAtBackslash                 // '\'
        case 0x5E, 0x3D: return resetsAtComponents         // '^', '='
        default: return false
        }
    }

    /// JIS X 0208 / 0212 in G0: the same code points as EUC-JP with the high bit set (0x8F before JIS X 0212).
    private func decodeJIS(_ run: ArraySlice<UInt8>, supplementary: Bool, into out: inout [UInt8]) {
        var euc: [UInt8] = []
        euc.reserveCapacity(run.count * 2)
        var k = run.startIndex
        while k < run.endIndex {
            if supplementary { euc.append(0x8F) }
            euc.append(run[k] | 0x80)
            if k + 1 < run.endIndex { euc.append(run[k + 1] | 0x80) }
            k += 2
        }
        if !Iconv.decode(euc[...], from: "EUC-JP", appendingUTF8To: &out) {
            for _ in 0 ..< (run.count + 1) / 2 { out.append(contentsOf: Self.replacement) }
        }
    }

    private func decodeHigh(_ run: ArraySlice<UInt8>, set: CodedCharacterSet, into out: inout [UInt8]) {
        switch set {
        case .upperHalf(let code):
            let table = code.upperTable
            for b in run { Self.append(table[Int(b) - 0x80], to: &out) }
        case .katakana:
            for b in run {
                if b >= 0xA1, b <= 0xDF, let s = Unicode.Scalar(0xFF61 + UInt32(b) - 0xA1) {
                    Self.append(s, to: &out)
                } else {
                    out.append(contentsOf: Self.replacement)
                }
            }
        case .ksX1001:
            if !Iconv.decode(run, from: "EUC-KR", appendingUTF8To: &out) { out.append(contentsOf: Self.replacement) }
        case .gb2312:
            if !Iconv.decode(run, from: "GB2312", appendingUTF8To: &out) { out.append(contentsOf: Self.replacement) }
        case .ascii, .jisRoman, .jisX0208, .jisX0212:
            // A G0 set cannot be in G1; read the bytes as Latin-1 rather than drop them.
            for b in run { Self.append(Unicode.Scalar(b), to: &out) }
        }
    }
}
