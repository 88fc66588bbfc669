import Foundation

/// The value of one leaf element as Orthanc 1.10.1 renders it (through DCMTK): text, null, or binary bytes.
enum OrthancLeaf: Equatable {
    case text(String)
    case null
    case binary([UInt8])
}

/// Orthanc's text rules for element values, worked out against the real server:
/// - strings: DCMTK drops trailing spaces (UI: all spaces) then stops at the first NUL; leading spaces stay;
///   multiple values keep their backslashes; the text is converted to UTF-8 from the root data set's character
///   set (items' own (0008,0005) are ignored), dropping bytes that do not convert;
/// - US, SS, UL, SL: every value in decimal, joined by backslashes; FL and FD: every value as a double printed
///   with 17 significant digits (`%.17g`, so "nan", "inf", "-0", "1e+20"); AT: the first tag only, `gggg,eeee`;
/// - empty binary numbers, SV, UV and the binary VRs (OB, OW, OF, OD, OL, OV, UN) are null.
struct OrthancTextDecoder {
    enum Mode {
        case charset(SpecificCharacterSet)
        /// Orthanc's fallback for an unknown Specific Character Set: ASCII, other bytes removed.
        case ascii
    }

    let mode: Mode

    init(dataSet: DataSet, options: OrthancJSONOptions) {
        if options.asciiOnly {
            mode = .ascii
        } else if let e = dataSet[.specificCharacterSet] {
            let declared = SpecificCharacterSet(value: String(decoding: e.bytes, as: UTF8.self))
            let first = declared.terms.first ?? ""
            mode = first.isEmpty || DefinedTerm(first) != nil ? .charset(declared) : .ascii
        } else {
            mode = .charset(options.defaultCharacterSet)
        }
    }

    func decode(_ bytes: ArraySlice<UInt8>, vr: VR) -> String {
        if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x1B }) { return String(decoding: bytes, as: UTF8.self) }
        switch mode {
        case .ascii:
            return String(decoding: bytes.filter { $0 < 0x80 }, as: UTF8.self)
        case .charset(let cs):
            // Orthanc converts with "skip" on errors: what does not decode disappears rather than becoming U+FFFD.
            let text = cs.decode(bytes, vr: vr)
            guard text.unicodeScalars.contains("\u{FFFD}") else { return text }
            return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{FFFD}" }))
        }
    }
}

extension OrthancLeaf {
    /// Renders `bytes` read as `vr`.
    static func render(_ bytes: [UInt8], vr: VR, decoder: OrthancTextDecoder) -> OrthancLeaf {
        if vr.isString { return .text(stringText(bytes, vr: vr, decoder: decoder)) }
        switch vr {
        case .US: return joined(bytes, 2) { String(UInt16($0)) }
        case .SS: return joined(bytes, 2) { String(Int16(bitPattern: UInt16($0))) }
        case .UL: return joined(bytes, 4) { String(UInt32($0)) }
        case .SL: return joined(bytes, 4) { String(Int32(bitPattern: UInt32($0))) }
        case .FL: return joined(bytes, 4) { formatDouble(Double(Float(bitPattern: UInt32($0)))) }
        case .FD: return joined(bytes, 8) { formatDouble(Double(bitPattern: $0)) }
        case .AT:
            guard bytes.count >= 4 else { return .null }
            let tag = Tag(UInt16(bytes[0]) | UInt16(bytes[1]) << 8, UInt16(bytes[2]) | UInt16(bytes[3]) << 8)
            return .text(tag.hex(separator: ","))
        case .OB, .OW, .OF, .OD, .OL, .OV, .UN: return .binary(bytes)
        default: return .null   // SV, UV (unknown to Orthanc 1.10.1), a stray SQ
        }
    }

    /// DCMTK's view of a string value: trailing padding removed, cut at the first NUL, then decoded.
    static func stringText(_ bytes: [UInt8], vr: VR, decoder: OrthancTextDecoder) -> String {
        var end = bytes.count
        if vr == .UI {
            while end > 0, bytes[end - 1] == 0 { end -= 1 }
            var kept = bytes[..<end].filter { $0 != 0x20 }
            if let nul = kept.firstIndex(of: 0) { kept.removeSubrange(nul...) }
            return String(decoding: kept, as: UTF8.self)
        }
        // Trailing spaces go first, then the C string ends at a NUL: "x  \0\0 " reads as "x  ".
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        if let nul = bytes[..<end].firstIndex(of: 0) { end = nul }
        return decoder.decode(bytes[..<end], vr: vr)
    }

    private static func joined(_ bytes: [UInt8], _ size: Int, _ format: (UInt64) -> String) -> OrthancLeaf {
        let n = bytes.count / size
        guard n > 0 else { return .null }
        var parts: [String] = []
        parts.reserveCapacity(n)
        for i in 0 ..< n {
            var v: UInt64 = 0
            for k in 0 ..< size { v |= UInt64(bytes[i * size + k]) << (8 * k) }
            parts.append(format(v))
        }
        return .text(parts.joined(separator: "\\"))
    }

    /// A double as C's `%.17g`, which is how Orthanc (boost::lexical_cast) prints FL and FD values.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return String(format: "%.17g", d)
    }
}
