/// One data element of a data set (PS3.5 §7.1): a tag, its VR and its value.
public struct DataElement: Sendable, Equatable {
    public var tag: Tag
    public var vr: VR
    public var value: Value

    /// The value of an element: raw bytes (always little endian in memory), sequence items, or pixel data fragments.
    public enum Value: Sendable, Equatable {
        case bytes([UInt8])
        case sequence([DataSet])
        case fragments(EncapsulatedPixelData)
    }

    public init(tag: Tag, vr: VR, value: Value) {
        self.tag = tag
        self.vr = vr
        self.value = value
    }

    public init(tag: Tag, vr: VR, bytes: [UInt8]) {
        self.init(tag: tag, vr: vr, value: .bytes(bytes))
    }

    /// The raw bytes of a non-sequence element (empty for sequences and fragments).
    public var bytes: [UInt8] {
        if case .bytes(let b) = value { return b }
        return []
    }

    /// The items of a sequence element, or nil.
    public var items: [DataSet]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// Encapsulated pixel data, or nil.
    public var fragments: EncapsulatedPixelData? {
        if case .fragments(let f) = value { return f }
        return nil
    }

    /// Length of the value in bytes as it would be encoded with defined length (sequences: not meaningful, 0).
    public var valueLength: Int {
        switch value {
        case .bytes(let b): return b.count
        case .sequence: return 0
        case .fragments(let f): return f.encodedLength
        }
    }
}

/// Pixel data in an encapsulated transfer syntax (PS3.5 §A.4): the basic offset table and the fragments.
public struct EncapsulatedPixelData: Sendable, Equatable {
    /// The first item's value: the basic offset table, possibly empty.
    public var basicOffsetTable: [UInt8]
    public var fragments: [[UInt8]]

    public init(basicOffsetTable: [UInt8] = [], fragments: [[UInt8]]) {
        self.basicOffsetTable = basicOffsetTable
        self.fragments = fragments
    }

    /// Byte offsets of the frames decoded from the basic offset table (empty when the table is empty).
    public var frameOffsets: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(basicOffsetTable.count / 4)
        var i = 0
        while i + 4 <= basicOffsetTable.count {
            out.append(UInt32(basicOffsetTable[i]) | UInt32(basicOffsetTable[i + 1]) << 8
                       | UInt32(basicOffsetTable[i + 2]) << 16 | UInt32(basicOffsetTable[i + 3]) << 24)
            i += 4
        }
        return out
    }

    /// Bytes of the item sequence with its delimiter, as written with undefined length.
    var encodedLength: Int {
        8 + basicOffsetTable.count + fragments.reduce(0) { $0 + 8 + $1.count } + 8
    }
}
