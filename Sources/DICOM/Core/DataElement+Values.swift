/// Decoding of element values (PS3.5 §6.2). Values are held little endian in memory whatever the transfer syntax.
extension DataElement {
    /// The text of a string value, decoded with `characterSet`, trailing padding (spaces, NULs) removed.
    public func string(_ characterSet: SpecificCharacterSet = .default) -> String? {
        guard case .bytes(let b) = value, vr.isString || vr == .UN || vr == .OB else { return nil }
        var end = b.count
        while end > 0, b[end - 1] == 0x20 || b[end - 1] == 0x00 { end -= 1 }
        var start = 0
        // Leading spaces are insignificant except in texts (LT, ST, UT) and UC (PS3.5 Table 6.2-1).
        if vr != .LT && vr != .ST && vr != .UT {
            while start < end, b[start] == 0x20 { start += 1 }
        }
        let slice = b[start ..< end]
        return vr.usesSpecificCharacterSet ? characterSet.decode(slice, vr: vr) : String(decoding: slice, as: UTF8.self)
    }

    /// The values of a multi-valued string, split on backslash, each trimmed of padding.
    public func strings(_ characterSet: SpecificCharacterSet = .default) -> [String] {
        guard let whole = string(characterSet) else { return [] }
        guard vr.allowsMultipleStringValues else { return [whole] }
        return whole.split(separator: "\\", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: " \0")
        }
    }

    /// The numbers of a binary numeric value (US, SS, UL, SL, FL, FD, SV, UV) as Double.
    public var numbers: [Double] {
        let b = bytes
        switch vr {
        case .US: return words(b, 2).map { Double(UInt16(truncatingIfNeeded: $0)) }
        case .SS: return words(b, 2).map { Double(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
        case .UL, .OL: return words(b, 4).map { Double(UInt32(truncatingIfNeeded: $0)) }
        case .SL: return words(b, 4).map { Double(Int32(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .FL, .OF: return words(b, 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .FD, .OD: return words(b, 8).map { Double(bitPattern: $0) }
        case .SV: return words(b, 8).map { Double(Int64(bitPattern: $0)) }
        case .UV, .OV: return words(b, 8).map { Double($0) }
        case .IS, .DS: return strings().compactMap { Double($0) }
        default: return []
        }
    }

    /// Signed 64-bit integers of an integer value (binary, or IS/DS text).
    public var integers: [Int64] {
        let b = bytes
        switch vr {
        case .US: return words(b, 2).map { Int64($0) }
        case .SS: return words(b, 2).map { Int64(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
        case .UL: return words(b, 4).map { Int64($0) }
        case .SL: return words(b, 4).map { Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .SV: return words(b, 8).map { Int64(bitPattern: $0) }
        case .UV: return words(b, 8).map { Int64(bitPattern: $0) }
        case .IS, .DS: return strings().compactMap { Int64($0) ?? Double($0).flatMap { Int64(exactly: $0.rounded()) } }
        default: return []
        }
    }

    /// The first integer value, if any.
    public var integer: Int64? { integers.first }

    /// Tags of an AT value.
    public var tags: [Tag] {
        guard vr == .AT else { return [] }
        let w = words(bytes, 2)
        return stride(from: 0, to: w.count - 1, by: 2).map { Tag(UInt16(w[$0]), UInt16(w[$0 + 1])) }
    }

    private func words(_ b: [UInt8], _ size: Int) -> [UInt64] {
        let n = b.count / size
        var out = [UInt64](repeating: 0, count: n)
        for i in 0 ..< n {
            var v: UInt64 = 0
            for k in 0 ..< size { v |= UInt64(b[i * size + k]) << (8 * k) }
            out[i] = v
        }
        return out
    }
}

extension DataElement {
    /// A string element, padded to even length with the VR's padding byte.
    public static func string(_ tag: Tag, _ vr: VR, _ text: String,
                              characterSet: SpecificCharacterSet = .default) -> DataElement {
        var bytes = vr.usesSpecificCharacterSet ? characterSet.encode(text) : Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr.paddingByte) }
        return DataElement(tag: tag, vr: vr, bytes: bytes)
    }

    /// A US element.
    public static func uint16(_ tag: Tag, _ values: [UInt16]) -> DataElement {
        DataElement(tag: tag, vr: .US, bytes: values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
    }

    /// A UL element.
    public static func uint32(_ tag: Tag, _ values: [UInt32]) -> DataElement {
        DataElement(tag: tag, vr: .UL, bytes: values.flatMap { v in (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } })
    }
}

extension DataSet {
    /// The trimmed text of `tag`, decoded with this data set's character set unless one is given.
    public func string(_ tag: Tag, _ characterSet: SpecificCharacterSet? = nil) -> String? {
        self[tag]?.string(characterSet ?? specificCharacterSet())
    }

    /// The first integer of `tag` (binary or IS/DS).
    public func integer(_ tag: Tag) -> Int64? { self[tag]?.integer }
}
