/// Reads data elements (PS3.5 §7) from bytes in one transfer syntax encoding; every length is checked before use.
struct DataSetParser {
    var reader: ByteReader
    var explicitVR: Bool
    let pixelDataHandling: PixelDataHandling
    let limits: ParseLimits
    let inflated: Bool
    private(set) var pixelData: PixelDataLocation?
    private var elementCount = 0
    /// Set when `.stop` met the pixel data: every level unwinds.
    private var stopped = false

    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    init(reader: ByteReader, explicitVR: Bool, options: ReadOptions, inflated: Bool = false) {
        self.reader = reader
        self.explicitVR = explicitVR
        self.pixelDataHandling = options.pixelData
        self.limits = options.limits
        self.inflated = inflated
    }

    /// The top-level data set up to the end of input.
    mutating func parseTopLevel() throws(DICOMError) -> DataSet {
        try parseDataSet(end: reader.end, depth: 0, undefinedLengthItem: false)
    }

    /// Elements until `end`, or until an item delimiter when the enclosing item has undefined length.
    private mutating func parseDataSet(end: Int, depth: Int, undefinedLengthItem: Bool) throws(DICOMError) -> DataSet {
        var elements: [DataElement] = []
        while reader.position < end && !stopped {
            if depth == 0, trailingIsPadding(end: end) { reader.seek(to: end); break }
            let start = reader.position
            let tag = try reader.readTag()
            if tag == .itemDelimitationItem {
                guard undefinedLengthItem else {
                    throw DICOMError(.unbalancedDelimiter, "Item delimiter outside an item of undefined length",
                                     offset: start, tag: tag)
                }
                _ = try reader.readUInt32("an item delimiter length")
                return DataSet(sortedOrUnsorted: elements)
            }
            if tag.group == 0xFFFE {
                throw DICOMError(.unbalancedDelimiter, "Item or sequence delimiter where a data element was expected",
                                 offset: start, tag: tag)
            }
            elementCount += 1
            guard elementCount <= limits.maxElements else {
                throw DICOMError(.limitExceeded, "More than \(limits.maxElements) data elements", offset: start, tag: tag)
            }
            if let element = try parseElement(tag: tag, start: start, depth: depth) {
                elements.append(element)
            }
        }
        if undefinedLengthItem && !stopped {
            throw DICOMError(.unbalancedDelimiter, "Item of undefined length has no item delimiter", offset: reader.position)
        }
        return DataSet(sortedOrUnsorted: elements)
    }

    /// Zero bytes (or fewer than a tag) left at the end of the top-level data set: tolerated padding, as DCMTK does.
    private func trailingIsPadding(end: Int) -> Bool {
        let left = end - reader.position
        if left < 8 { return true }
        guard reader.peekUInt16() == 0, reader.peekUInt16(at: 2) == 0 else { return false }
        var p = 0
        while p < left { if reader.peekByte(at: p) != 0 { return false }; p += 1 }
        return true
    }

    /// One element after its tag; nil when the element was skipped.
    private mutating func parseElement(tag: Tag, start: Int, depth: Int) throws(DICOMError) -> DataElement? {
        var (vr, length) = try readVRAndLength(tag: tag, start: start)
        let valueOffset = reader.position
        let isPixelData = tag == .pixelData && depth == 0

        if isPixelData {
            pixelData = PixelDataLocation(elementOffset: start, valueOffset: valueOffset,
                                          length: length == Self.undefinedLength ? nil : Int(length), vr: vr,
                                          isInInflatedData: inflated)
            if pixelDataHandling == .stop { stopped = true; return nil }
        }

        if length == Self.undefinedLength {
            if tag == .pixelData && vr != .SQ {
                let fragments = try parseFragments(tag: tag, skipping: isPixelData && pixelDataHandling == .skip)
                return isPixelData && pixelDataHandling == .skip ? nil : DataElement(tag: tag, vr: vr, value: .fragments(fragments))
            }
            // Undefined length on anything else is a sequence; UN of undefined length is implicit VR LE (PS3.5 §6.2.2).
            let implicitInside = vr == .UN
            vr = .SQ
            let items = try withEncoding(explicit: implicitInside ? false : explicitVR) { (p: inout DataSetParser) throws(DICOMError) in
                try p.parseItems(tag: tag, end: nil, depth: depth)
            }
            return DataElement(tag: tag, vr: vr, value: .sequence(items))
        }

        let count = Int(length)
        guard count <= limits.maxElementLength else {
            throw DICOMError(.limitExceeded, "Value of \(count) bytes exceeds the limit of \(limits.maxElementLength)",
                             offset: start, tag: tag)
        }
        guard count <= reader.remaining else {
            throw DICOMError(.lengthExceedsData, "Value length \(count) goes past the end of the data (\(reader.remaining) bytes left)",
                             offset: start, tag: tag)
        }
        if vr == .SQ {
            let items = try parseItems(tag: tag, end: valueOffset + count, depth: depth)
            return DataElement(tag: tag, vr: .SQ, value: .sequence(items))
        }
        // A private creator is LO whatever the file says (PS3.5 §7.8.1); writers that lost the VR wrote UN.
        if vr == .UN && tag.isPrivateCreator {
            return DataElement(tag: tag, vr: .LO, value: .bytes(try reader.readBytes(count)))
        }
        if vr == .UN, let known = DataDictionary.entry(for: tag)?.vr, known != .UN, !tag.isPrivate {
            return try reinterpretUnknown(tag: tag, as: known, start: valueOffset, count: count, depth: depth)
        }
        if isPixelData && pixelDataHandling == .skip {
            try reader.skip(count)
            return nil
        }
        var bytes = try reader.readBytes(count)
        if reader.bigEndian { Self.swapToLittleEndian(&bytes, vr: vr) }
        return DataElement(tag: tag, vr: vr, value: .bytes(bytes))
    }

    /// A UN value whose tag the dictionary knows gets the dictionary VR; a known sequence is parsed as implicit VR LE.
    private mutating func reinterpretUnknown(tag: Tag, as known: VR, start: Int, count: Int,
                                             depth: Int) throws(DICOMError) -> DataElement {
        if known == .SQ {
            let saved = self
            do {
                let items = try withEncoding(explicit: false) { (p: inout DataSetParser) throws(DICOMError) in
                    try p.parseItems(tag: tag, end: start + count, depth: depth)
                }
                return DataElement(tag: tag, vr: .SQ, value: .sequence(items))
            } catch {
                // Not a well-formed implicit sequence after all: keep the bytes as UN.
                self = saved
                return DataElement(tag: tag, vr: .UN, value: .bytes(try reader.readBytes(count)))
            }
        }
        var bytes = try reader.readBytes(count)
        if reader.bigEndian { Self.swapToLittleEndian(&bytes, vr: known) }
        return DataElement(tag: tag, vr: known, value: .bytes(bytes))
    }

    /// Runs `body` with explicit/implicit VR switched, then restores the enclosing encoding.
    private mutating func withEncoding<T>(explicit: Bool,
                                          _ body: (inout DataSetParser) throws(DICOMError) -> T) throws(DICOMError) -> T {
        let saved = explicitVR
        explicitVR = explicit
        defer { explicitVR = saved }
        return try body(&self)
    }

    private mutating func readVRAndLength(tag: Tag, start: Int) throws(DICOMError) -> (VR, UInt32) {
        if explicitVR, let b0 = reader.peekByte(), let b1 = reader.peekByte(at: 1), let vr = VR(b0, b1) {
            try reader.skip(2)
            if vr.hasLongExplicitLength {
                try reader.skip(2, "reserved bytes")
                return (vr, try reader.readUInt32("a value length"))
            }
            return (vr, UInt32(try reader.readUInt16("a value length")))
        }
        // Implicit VR, or an explicit stream whose VR field is not a VR (a mislabelled implicit element): the
        // dictionary gives the VR, as DCMTK and pydicom do.
        let length = try reader.readUInt32("a value length")
        return (Self.implicitVR(for: tag), length)
    }

    static func implicitVR(for tag: Tag) -> VR {
        if tag.isGroupLength { return .UL }
        if tag.isPrivateCreator { return .LO }
        if tag.isPrivate { return .UN }
        return DataDictionary.entry(for: tag)?.vr ?? .UN
    }

    /// Items of a sequence up to `end` (defined length) or to its sequence delimiter (undefined length).
    private mutating func parseItems(tag: Tag, end declaredEnd: Int?, depth: Int) throws(DICOMError) -> [DataSet] {
        var end = declaredEnd
        guard depth + 1 <= limits.maxDepth else {
            throw DICOMError(.nestingTooDeep, "Sequences nested deeper than \(limits.maxDepth)", offset: reader.position, tag: tag)
        }
        var items: [DataSet] = []
        while !stopped {
            if let end, reader.position >= end { break }
            let itemStart = reader.position
            let itemTag = try reader.readTag()
            let length = try reader.readUInt32("an item length")
            if itemTag == .sequenceDelimitationItem {
                guard end == nil else {
                    throw DICOMError(.unbalancedDelimiter, "Sequence delimiter inside a sequence of defined length",
                                     offset: itemStart, tag: tag)
                }
                break
            }
            guard itemTag == .item else {
                throw DICOMError(.invalidItemTag, "Expected an item tag (FFFE,E000), found \(itemTag)", offset: itemStart, tag: tag)
            }
            guard items.count < limits.maxItems else {
                throw DICOMError(.limitExceeded, "More than \(limits.maxItems) items in a sequence", offset: itemStart, tag: tag)
            }
            if length == Self.undefinedLength {
                items.append(try parseDataSet(end: end ?? reader.end, depth: depth + 1, undefinedLengthItem: true))
            } else {
                // An item longer than the data left (a stale length after an element was removed) is read up to
                // the end of the data, as DCMTK and pydicom do; a value cut short inside it still fails.
                let itemEnd = min(reader.position + Int(length), reader.end)
                // A sequence length too short for its own items is tolerated, as DCMTK and pydicom do: the items win.
                if let e = end, itemEnd > e { end = itemEnd }
                items.append(try parseDataSet(end: itemEnd, depth: depth + 1, undefinedLengthItem: false))
                reader.seek(to: itemEnd)
            }
        }
        if let end, !stopped { reader.seek(to: end) }
        return items
    }

    /// Encapsulated pixel data (PS3.5 §A.4): offset table item, fragment items, sequence delimiter.
    private mutating func parseFragments(tag: Tag, skipping: Bool) throws(DICOMError) -> EncapsulatedPixelData {
        var table: [UInt8]?
        var fragments: [[UInt8]] = []
        while true {
            let itemStart = reader.position
            let itemTag = try reader.readTag()
            let length = try reader.readUInt32("a fragment length")
            if itemTag == .sequenceDelimitationItem { break }
            guard itemTag == .item else {
                throw DICOMError(.invalidItemTag, "Expected a fragment item (FFFE,E000), found \(itemTag)",
                                 offset: itemStart, tag: tag)
            }
            guard length != Self.undefinedLength else {
                throw DICOMError(.invalidValue, "Pixel data fragment of undefined length", offset: itemStart, tag: tag)
            }
            guard Int(length) <= reader.remaining else {
                throw DICOMError(.lengthExceedsData, "Fragment length \(length) goes past the end of the data",
                                 offset: itemStart, tag: tag)
            }
            guard fragments.count < limits.maxItems else {
                throw DICOMError(.limitExceeded, "More than \(limits.maxItems) pixel data fragments", offset: itemStart, tag: tag)
            }
            if skipping {
                try reader.skip(Int(length))
                continue
            }
            let bytes = try reader.readBytes(Int(length))
            if table == nil { table = bytes } else { fragments.append(bytes) }
        }
        return EncapsulatedPixelData(basicOffsetTable: table ?? [], fragments: fragments)
    }

    /// Converts the numbers of a big-endian value to little endian in place.
    static func swapToLittleEndian(_ bytes: inout [UInt8], vr: VR) {
        guard let size = vr.wordSize, size > 1 else { return }
        let n = bytes.count / size
        bytes.withUnsafeMutableBufferPointer { buf in
            for i in 0 ..< n {
                var lo = i * size, hi = lo + size - 1
                while lo < hi { buf.swapAt(lo, hi); lo += 1; hi -= 1 }
            }
        }
    }
}
