/// Encodes text in the sets of an ISO 2022 Specific Character Set (PS3.5 §6.1.2.5): ASCII as is, other characters
/// in the first declared set that has them, with the escape sequence that designates it when it is not already
/// designated. G0 returns to the first value's set before every delimiter and at the end of the value, as
/// §6.1.2.5.3 requires. Characters no declared set has become '?'.
struct ISO2022Encoder {
    /// Always a single-byte set (ASCII or JIS X 0201 Romaji).
    let initialG0: CodedCharacterSet
    let initialG1: CodedCharacterSet?
    /// Sets of the other values of (0008,0005), designated by escapes when needed (empty without code extensions).
    let extensions: [CodedCharacterSet]

    func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        var g0 = initialG0
        var g1 = initialG1

        func invokeSingleByteG0() {
            if g0.isDoubleByte {
                out.append(contentsOf: initialG0.escape)
                g0 = initialG0
            }
        }

        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if Self.delimiters.contains(byte) {
                    if g0 != initialG0 { out.append(contentsOf: initialG0.escape) }
                    out.append(byte)
                    g0 = initialG0
                    g1 = initialG1
                } else {
                    invokeSingleByteG0()
                    out.append(byte)
                }
                continue
            }
            var candidates: [CodedCharacterSet] = []
            if g0.isDoubleByte { candidates.append(g0) }
            if let g1 { candidates.append(g1) }
            if let initialG1 { candidates.append(initialG1) }
            candidates.append(contentsOf: extensions)
            var encoded = false
            for set in candidates {
                guard let bytes = Self.bytes(for: scalar, in: set) else { continue }
                if set.isG0 {
                    if g0 != set { out.append(contentsOf: set.escape); g0 = set }
                } else {
                    invokeSingleByteG0()
                    if g1 != set { out.append(contentsOf: set.escape); g1 = set }
                }
                out.append(contentsOf: bytes)
                encoded = true
                break
            }
            if !encoded {
                invokeSingleByteG0()
                out.append(UInt8(ascii: "?"))
            }
        }
        if g0 != initialG0 { out.append(contentsOf: initialG0.escape) }
        return out
    }

    /// CR, LF, TAB, FF, '\', '^' and '=': the delimiters at which a decoder returns to the initial sets.
    private static let delimiters: Set<UInt8> = [0x0D, 0x0A, 0x09, 0x0C, 0x5C, 0x5E, 0x3D]

    /// The bytes of `scalar` in `set` as they appear after the set's escape, or nil when the set lacks it.
    static func bytes(for scalar: Unicode.Scalar, in set: CodedCharacterSet) -> [UInt8]? {
        switch set {
        case .ascii, .jisRoman:
            return scalar.isASCII ? [UInt8(scalar.value)] : nil
        case .katakana:
            guard (0xFF61 ... 0xFF9F).contains(scalar.value) else { return nil }
            return [UInt8(scalar.value - 0xFF61 + 0xA1)]
        case .upperHalf(let code):
            return code.byte(for: scalar).map { [$0] }
        case .jisX0208:
            guard let euc = Iconv.encodeScalar(scalar, to: "EUC-JP"), euc.count == 2, euc[0] >= 0xA1 else { return nil }
            return [euc[0] & 0x7F, euc[1] & 0x7F]
        case .jisX0212:
            guard let euc = Iconv.encodeScalar(scalar, to: "EUC-JP"), euc.count == 3, euc[0] == 0x8F else { return nil }
            return [euc[1] & 0x7F, euc[2] & 0x7F]
        case .ksX1001:
            guard let euc = Iconv.encodeScalar(scalar, to: "EUC-KR"), euc.count == 2, euc[0] >= 0xA1 else { return nil }
            return euc
        case .gb2312:
            guard let euc = Iconv.encodeScalar(scalar, to: "GB2312"), euc.count == 2, euc[0] >= 0xA1 else { return nil }
            return euc
        }
    }
}
