/// Encodes data elements (PS3.5 §7) in one transfer syntax's byte order and VR encoding; the mirror of the reader.
struct DataSetEncoder {
    var out: ByteWriter
    let explicitVR: Bool
    /// Top-level Pixel Data is written as fragments (PS3.5 §A.4) rather than as a native value.
    let encapsulated: Bool
    let options: WriteOptions

    static let undefinedLength: UInt32 = 0xFFFF_FFFF
    /// Largest value a 32-bit length field can hold (0xFFFFFFFF means undefined).
    static let maxDefinedLength = 0xFFFF_FFFE

    init(syntax: TransferSyntax, options: WriteOptions, capacity: Int = 0) {
        out = ByteWriter(bigEndian: syntax.isBigEndian, capacity: capacity)
        explicitVR = syntax.isExplicitVR
        encapsulated = syntax.isEncapsulated
        self.options = options
    }

    /// A top-level data set. Group lengths are dropped (retired, PS3.5 §7.2) except the command group's
    /// (0000,0000), which DIMSE requires and which is recomputed here.
    mutating func encodeTopLevel(_ dataSet: DataSet) throws(DICOMError) {
        let command = dataSet.elements.filter { $0.tag.group == 0x0000 && !$0.tag.isGroupLength }
        if !command.isEmpty {
            try encodeGroupWithLength(group: 0x0000, command)
        }
        for element in dataSet.elements where element.tag.group != 0x0000 && !element.tag.isGroupLength {
            try encode(element, depth: 0)
        }
    }

    /// Writes (gggg,0000) with the byte count of `elements`, then the elements.
    mutating func encodeGroupWithLength(group: UInt16, _ elements: [DataElement]) throws(DICOMError) {
        var inner = self
        inner.out = ByteWriter(bigEndian: out.bigEndian)
        for element in elements { try inner.encode(element, depth: 0) }
        guard inner.out.count <= Int(UInt32.max) else {
            throw DICOMError(.writeFailed, "Group \(Tag(group, 0).hex(separator: ",")) is too long for its group length")
        }
        let lengthElement = DataElement.uint32(Tag(group, 0x0000), [UInt32(inner.out.count)])
        try encode(lengthElement, depth: 0)
        out.append(inner.out.bytes)
    }

    mutating func encode(_ dataSet: DataSet, depth: Int) throws(DICOMError) {
        for element in dataSet.elements where !element.tag.isGroupLength {
            try encode(element, depth: depth)
        }
    }

    mutating func encode(_ element: DataElement, depth: Int) throws(DICOMError) {
        let tag = element.tag
        guard tag.group != 0xFFFE else {
            throw DICOMError(.writeFailed, "Item and delimiter tags cannot be data elements", tag: tag)
        }
        switch element.value {
        case .sequence(let items):
            try encodeSequence(tag: tag, items: items, depth: depth, forceUndefined: false)
        case .fragments(let pixels):
            guard encapsulated else {
                throw DICOMError(.writeFailed, "Pixel data is encapsulated (compressed fragments) but the transfer syntax "
                                 + "is native: decompress it first or write it in its own transfer syntax", tag: tag)
            }
            try encodeFragments(tag: tag, pixels)
        case .bytes(let bytes):
            if element.vr == .SQ {
                guard bytes.isEmpty else {
                    throw DICOMError(.writeFailed, "A sequence (SQ) element holds raw bytes instead of items", tag: tag)
                }
                try encodeSequence(tag: tag, items: [], depth: depth, forceUndefined: false)
                return
            }
            if encapsulated && depth == 0 && tag == .pixelData && !bytes.isEmpty {
                throw DICOMError(.writeFailed, "Pixel data is native but the transfer syntax is encapsulated: "
                                 + "compress it first or write it in a native transfer syntax", tag: tag)
            }
            try encodeValue(tag: tag, vr: element.vr, bytes)
        }
    }

    /// A plain value, padded to even length; a short-form VR whose value outgrows 16 bits is written as UN (PS3.5 §6.2.2).
    private mutating func encodeValue(tag: Tag, vr: VR, _ bytes: [UInt8]) throws(DICOMError) {
        let padded = bytes.count + bytes.count % 2
        guard padded <= Self.maxDefinedLength else {
            throw DICOMError(.writeFailed, "Value of \(bytes.count) bytes is too long for a 32-bit length", tag: tag)
        }
        var writtenVR = vr
        if explicitVR && !vr.hasLongExplicitLength && padded > 0xFFFF { writtenVR = .UN }
        header(tag: tag, vr: writtenVR, length: UInt32(padded))
        if out.bigEndian, let size = vr.wordSize, size > 1 {
            out.append(Self.swapped(bytes, wordSize: size))
        } else {
            out.append(bytes)
        }
        if bytes.count % 2 == 1 { out.bytes.append(vr.paddingByte) }
    }

    private mutating func header(tag: Tag, vr: VR, length: UInt32) {
        out.tag(tag)
        if explicitVR {
            out.vr(vr)
            if vr.hasLongExplicitLength {
                out.uint16(0)
                out.uint32(length)
            } else {
                out.uint16(UInt16(truncatingIfNeeded: length))
            }
        } else {
            out.uint32(length)
        }
    }

    /// Whether a reader of implicit VR would know `tag` as a sequence without seeing undefined length.
    private static func dictionaryKnowsSequence(_ tag: Tag) -> Bool {
        !tag.isPrivate && DataDictionary.vr(for: tag) == .SQ
    }

    private mutating func encodeSequence(tag: Tag, items: [DataSet], depth: Int, forceUndefined: Bool) throws(DICOMError) {
        let undefined = forceUndefined || options.sequenceLength == .undefined
            || (!explicitVR && !Self.dictionaryKnowsSequence(tag))
        let start = out.count
        header(tag: tag, vr: .SQ, length: Self.undefinedLength)
        let valueStart = out.count
        for item in items {
            let itemStart = out.count
            out.tag(.item)
            out.uint32(Self.undefinedLength)
            try encode(item, depth: depth + 1)
            if undefined {
                out.tag(.itemDelimitationItem)
                out.uint32(0)
            } else {
                let length = out.count - itemStart - 8
                guard length <= Self.maxDefinedLength else {
                    // Too long for a defined length: the whole sequence goes undefined, as DCMTK does by default.
                    out.truncate(to: start)
                    return try encodeSequence(tag: tag, items: items, depth: depth, forceUndefined: true)
                }
                out.patchUInt32(at: itemStart + 4, UInt32(length))
            }
        }
        if undefined {
            out.tag(.sequenceDelimitationItem)
            out.uint32(0)
        } else {
            let length = out.count - valueStart
            guard length <= Self.maxDefinedLength else {
                out.truncate(to: start)
                return try encodeSequence(tag: tag, items: items, depth: depth, forceUndefined: true)
            }
            out.patchUInt32(at: valueStart - 4, UInt32(length))
        }
    }

    /// Encapsulated pixel data: undefined length, the basic offset table item, one item per fragment, a delimiter.
    private mutating func encodeFragments(tag: Tag, _ pixels: EncapsulatedPixelData) throws(DICOMError) {
        // PS3.5 §A.4 requires OB; an OW read from a non-conformant file is written as OB (the bytes do not change).
        header(tag: tag, vr: .OB, length: Self.undefinedLength)
        for fragment in [pixels.basicOffsetTable] + pixels.fragments {
            // Items have even length (PS3.5 §A.4); an odd fragment gets a trailing zero, which codecs ignore.
            let padded = fragment.count + fragment.count % 2
            guard padded <= Self.maxDefinedLength else {
                throw DICOMError(.writeFailed, "Pixel data fragment of \(fragment.count) bytes is too long for a 32-bit length",
                                 tag: tag)
            }
            out.tag(.item)
            out.uint32(UInt32(padded))
            out.append(fragment)
            if fragment.count % 2 == 1 { out.bytes.append(0) }
        }
        out.tag(.sequenceDelimitationItem)
        out.uint32(0)
    }

    /// A copy of `bytes` with each `wordSize`-byte number reversed (little endian in memory to big endian on the wire);
    /// a trailing partial word is left as it is, as the reader does.
    static func swapped(_ bytes: [UInt8], wordSize: Int) -> [UInt8] {
        var copy = bytes
        let n = bytes.count / wordSize
        copy.withUnsafeMutableBufferPointer { buf in
            var offset = 0
            for _ in 0 ..< n {
                var lo = offset, hi = offset + wordSize - 1
                while lo < hi {
                    let t = buf[lo]; buf[lo] = buf[hi]; buf[hi] = t
                    lo += 1; hi -= 1
                }
                offset += wordSize
            }
        }
        return copy
    }
}
