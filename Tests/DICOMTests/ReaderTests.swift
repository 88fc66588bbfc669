import Testing
@testable import DICOM

/// The Part 10 reader on small byte streams built by hand (Support/ByteBuilder.swift).
@Suite struct ReaderTests {
    static let implicitLE = "1.2.840.10008.1.2"
    static let explicitLE = "1.2.840.10008.1.2.1"
    static let deflated = "1.2.840.10008.1.2.1.99"
    static let explicitBE = "1.2.840.10008.1.2.2"
    static let rle = "1.2.840.10008.1.2.5"

    static let rows = Tag(0x0028, 0x0010)
    static let columns = Tag(0x0028, 0x0011)
    static let referencedSeries = Tag(0x0008, 0x1115)
    static let referencedImages = Tag(0x0008, 0x1140)
    static let referencedSOPInstance = Tag(0x0008, 0x1155)
    static let imagePosition = Tag(0x0020, 0x0032)

    /// A few elements of every common kind, in `encoding`.
    static func basicBody(_ encoding: ByteBuilder.Encoding) -> [UInt8] {
        var b = ByteBuilder(encoding)
        b.text(.specificCharacterSet, .CS, "ISO_IR 100")
        b.text(.sopInstanceUID, .UI, "1.2.3.4.5")
        b.text(.modality, .CS, "MR")
        b.text(.patientName, .PN, "Doe^John")
        b.text(imagePosition, .DS, "1.5\\-2\\3.25")
        b.us(rows, 512)
        b.us(columns, 256)
        return b.bytes
    }

    static func expectBasic(_ file: DICOMFile) {
        let ds = file.dataSet
        #expect(ds.count == 7)
        #expect(ds[.modality]?.string() == "MR")
        #expect(ds[.patientName]?.string() == "Doe^John")
        #expect(ds[.patientName]?.vr == .PN)
        #expect(ds[.sopInstanceUID]?.string() == "1.2.3.4.5")
        #expect(ds[imagePosition]?.strings() == ["1.5", "-2", "3.25"])
        #expect(ds[rows]?.integer == 512)
        #expect(ds[rows]?.bytes == [0x00, 0x02])
        #expect(ds[columns]?.integer == 256)
    }

    // MARK: - Transfer syntaxes

    @Test func implicitLittleEndianRawDataSet() throws {
        let file = try DICOMFile.read(bytes: Self.basicBody(.implicitLE))
        #expect(file.transferSyntax == .implicitVRLittleEndian)
        #expect(file.fileMetaInformation.isEmpty)
        #expect(!file.hasPreamble)
        Self.expectBasic(file)
        #expect(file.dataSet[Self.rows]?.vr == .US)  // from the dictionary
    }

    @Test func implicitLittleEndianPart10() throws {
        let bytes = ByteBuilder.part10(syntax: Self.implicitLE, body: Self.basicBody(.implicitLE))
        let file = try DICOMFile.read(bytes: bytes)
        #expect(file.hasPreamble)
        #expect(file.transferSyntax == .implicitVRLittleEndian)
        #expect(file.fileMetaInformation[.transferSyntaxUID]?.string() == Self.implicitLE)
        #expect(file.fileMetaInformation.count == 5)
        Self.expectBasic(file)
    }

    @Test func explicitLittleEndianPart10() throws {
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: Self.basicBody(.explicitLE))
        let file = try DICOMFile.read(bytes: bytes)
        #expect(file.transferSyntax == .explicitVRLittleEndian)
        Self.expectBasic(file)
    }

    @Test func part10WithoutPreamble() throws {
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: Self.basicBody(.explicitLE), preamble: false)
        let file = try DICOMFile.read(bytes: bytes)
        #expect(!file.hasPreamble)
        Self.expectBasic(file)
    }

    @Test func explicitBigEndianSwapsNumbersNotText() throws {
        var b = ByteBuilder(.explicitBE)
        b.text(.modality, .CS, "CT")
        b.us(Self.rows, 0x0102)
        b.ul(Tag(0x0028, 0x0034), 0x0102_0304)  // pixel aspect ratio is IS; UL here is only about the swap
        b.element(Tag(0x0028, 0x0009), .AT, [0x00, 0x18, 0x10, 0x63])  // (0018,1063) big endian
        b.element(Tag(0x0018, 0x1063), .FL, [0x3F, 0x80, 0x00, 0x00])  // 1.0 big endian (the VR is DS in the dictionary)
        b.element(Tag(0x0009, 0x0010), .LO, Array("ACME".utf8))
        b.element(Tag(0x7FE0, 0x0010), .OW, [0x12, 0x34, 0x56, 0x78])
        let file = try DICOMFile.read(bytes: ByteBuilder.part10(syntax: Self.explicitBE, body: b.bytes))
        #expect(file.transferSyntax == .explicitVRBigEndian)
        let ds = file.dataSet
        #expect(ds[.modality]?.string() == "CT")
        #expect(ds[Self.rows]?.bytes == [0x02, 0x01])
        #expect(ds[Self.rows]?.integer == 0x0102)
        #expect(ds[Tag(0x0028, 0x0034)]?.bytes == [0x04, 0x03, 0x02, 0x01])
        #expect(ds[Tag(0x0028, 0x0009)]?.bytes == [0x18, 0x00, 0x63, 0x10])
        #expect(ds[Tag(0x0018, 0x1063)]?.numbers == [1.0])
        #expect(ds[Tag(0x0009, 0x0010)]?.string() == "ACME")
        #expect(ds[.pixelData]?.bytes == [0x34, 0x12, 0x78, 0x56])
        #expect(file.pixelData?.length == 4)
    }

    @Test func explicitBigEndianRawDataSetIsDetected() throws {
        let file = try DICOMFile.read(bytes: Self.basicBody(.explicitBE))
        #expect(file.transferSyntax.isBigEndian)
        Self.expectBasic(file)
    }

    @Test func deflatedDataSet() throws {
        var body = ByteBuilder(.explicitLE)
        body.bytes = Self.basicBody(.explicitLE)
        body.sequence(Self.referencedSeries, [{ $0.text(Self.referencedSOPInstance, .UI, "1.2.3") }])
        let compressed = try Inflate.deflateRaw(body.bytes)
        #expect(compressed.count < body.bytes.count)
        let file = try DICOMFile.read(bytes: ByteBuilder.part10(syntax: Self.deflated, body: compressed))
        #expect(file.transferSyntax.isDeflated)
        #expect(file.dataSet.count == 8)
        #expect(file.dataSet[Self.referencedSeries]?.items?.first?[Self.referencedSOPInstance]?.string() == "1.2.3")
        #expect(file.dataSet[.modality]?.string() == "MR")
    }

    @Test func corruptDeflatedDataSet() {
        let bytes = ByteBuilder.part10(syntax: Self.deflated, body: [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01])
        #expect(throws: DICOMError(.deflateFailed, "")) { try DICOMFile.read(bytes: bytes) }
    }

    @Test func truncatedDeflatedDataSet() throws {
        let compressed = try Inflate.deflateRaw(Self.basicBody(.explicitLE))
        let bytes = ByteBuilder.part10(syntax: Self.deflated, body: Array(compressed.prefix(compressed.count / 2)))
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile.read(bytes: bytes) }
    }

    // MARK: - Sequences

    @Test(arguments: [ByteBuilder.Encoding.implicitLE, .explicitLE, .explicitBE])
    func undefinedLengthSequencesAndItems(encoding: ByteBuilder.Encoding) throws {
        var b = ByteBuilder(encoding)
        b.text(.modality, .CS, "MR")
        b.sequence(Self.referencedSeries, [
            { $0.text(Self.referencedSOPInstance, .UI, "1.1") },
            { _ in },  // an empty item
            { $0.text(Self.referencedSOPInstance, .UI, "1.3"); $0.us(Self.rows, 7) },
        ])
        b.sequence(Self.referencedImages, [])  // no items
        b.text(.patientID, .LO, "P1")
        let syntax = encoding == .implicitLE ? Self.implicitLE : encoding == .explicitLE ? Self.explicitLE : Self.explicitBE
        let file = try DICOMFile.read(bytes: ByteBuilder.part10(syntax: syntax, body: b.bytes))
        let items = try #require(file.dataSet[Self.referencedSeries]?.items)
        #expect(file.dataSet[Self.referencedSeries]?.vr == .SQ)
        #expect(items.count == 3)
        #expect(items[0][Self.referencedSOPInstance]?.string() == "1.1")
        #expect(items[1].isEmpty)
        #expect(items[2][Self.rows]?.integer == 7)
        #expect(file.dataSet[Self.referencedImages]?.items == [])
        #expect(file.dataSet[.patientID]?.string() == "P1")
        #expect(file.dataSet.count == 4)
    }

    @Test(arguments: [ByteBuilder.Encoding.implicitLE, .explicitLE])
    func definedLengthNestedSequences(encoding: ByteBuilder.Encoding) throws {
        var b = ByteBuilder(encoding)
        b.definedSequence(Self.referencedSeries, [
            { outer in
                outer.text(.seriesInstanceUID, .UI, "1.2")
                outer.definedSequence(Self.referencedImages, [
                    { $0.text(Self.referencedSOPInstance, .UI, "1.2.1") },
                    { inner in inner.sequence(Tag(0x0040, 0xA730), [{ $0.text(.modality, .CS, "SR") }]) },
                ])
            },
        ])
        b.text(.patientID, .LO, "P2")
        let file = try DICOMFile.read(bytes: b.bytes)
        let outer = try #require(file.dataSet[Self.referencedSeries]?.items)
        #expect(outer.count == 1)
        let inner = try #require(outer[0][Self.referencedImages]?.items)
        #expect(inner.count == 2)
        #expect(inner[0][Self.referencedSOPInstance]?.string() == "1.2.1")
        #expect(inner[1][Tag(0x0040, 0xA730)]?.items?.first?[.modality]?.string() == "SR")
        #expect(file.dataSet.element(at: [(Self.referencedSeries, 0), (Self.referencedImages, 1), (Tag(0x0040, 0xA730), 0)],
                                     .modality)?.string() == "SR")
        #expect(file.dataSet[.patientID]?.string() == "P2")
    }

    @Test func sequenceLengthTooShortForItsItemsIsTolerated() throws {
        var b = ByteBuilder(.explicitLE)
        var item = ByteBuilder(.explicitLE)
        item.text(Self.referencedSOPInstance, .UI, "1.9")
        b.header(Self.referencedSeries, .SQ, length: 8)  // too short: the item alone is longer
        b.item(length: UInt32(item.bytes.count))
        b.bytes += item.bytes
        b.text(.patientID, .LO, "P3")
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[Self.referencedSeries]?.items?.first?[Self.referencedSOPInstance]?.string() == "1.9")
        #expect(file.dataSet[.patientID]?.string() == "P3")
    }

    // MARK: - Encapsulated pixel data

    static func encapsulatedFile(offsetTable: [UInt32], fragments: [[UInt8]], trailing: Bool = true) -> [UInt8] {
        var b = ByteBuilder(.explicitLE)
        b.us(Self.rows, 2)
        b.header(.pixelData, .OB, length: 0xFFFF_FFFF)
        var table = ByteBuilder(.explicitLE)
        for o in offsetTable { table.u32(o) }
        b.item(length: UInt32(table.bytes.count))
        b.bytes += table.bytes
        for f in fragments {
            b.item(length: UInt32(f.count))
            b.bytes += f
        }
        b.sequenceEnd()
        if trailing { b.element(.dataSetTrailingPadding, .OB, [0, 0]) }
        return ByteBuilder.part10(syntax: Self.rle, body: b.bytes)
    }

    @Test func encapsulatedPixelDataWithOffsetTable() throws {
        let bytes = Self.encapsulatedFile(offsetTable: [0, 12], fragments: [[1, 2, 3, 4], [5, 6], [7, 8, 9, 10]])
        let file = try DICOMFile.read(bytes: bytes)
        let pixels = try #require(file.dataSet[.pixelData]?.fragments)
        #expect(file.dataSet[.pixelData]?.vr == .OB)
        #expect(pixels.frameOffsets == [0, 12])
        #expect(pixels.fragments == [[1, 2, 3, 4], [5, 6], [7, 8, 9, 10]])
        #expect(file.pixelData?.length == nil)
        #expect(file.dataSet[.dataSetTrailingPadding] != nil)
    }

    @Test func encapsulatedPixelDataWithEmptyOffsetTable() throws {
        let file = try DICOMFile.read(bytes: Self.encapsulatedFile(offsetTable: [], fragments: [[9, 9]]))
        let pixels = try #require(file.dataSet[.pixelData]?.fragments)
        #expect(pixels.basicOffsetTable.isEmpty)
        #expect(pixels.frameOffsets.isEmpty)
        #expect(pixels.fragments == [[9, 9]])
    }

    @Test func encapsulatedFragmentWithBadItemTag() {
        var bytes = Self.encapsulatedFile(offsetTable: [], fragments: [[9, 9]], trailing: false)
        // The fragment's item tag (FFFE,E000) becomes (FFFE,E00D).
        let fragment = bytes.count - 8 - 2 - 8
        bytes[fragment + 2] = 0x0D
        #expect(throws: DICOMError(.invalidItemTag, "")) { try DICOMFile.read(bytes: bytes) }
    }

    @Test func encapsulatedWithoutSequenceDelimiter() {
        let bytes = Array(Self.encapsulatedFile(offsetTable: [], fragments: [[9, 9]], trailing: false).dropLast(8))
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile.read(bytes: bytes) }
    }

    // MARK: - Pixel data handling

    @Test func headerOnlyOffsetsNativePixelData() throws {
        var b = ByteBuilder(.explicitLE)
        b.us(Self.rows, 2)
        b.us(Self.columns, 2)
        let pixelStart = b.bytes.count
        b.element(.pixelData, .OW, [1, 2, 3, 4, 5, 6, 7, 8])
        b.element(.dataSetTrailingPadding, .OB, [0, 0, 0, 0])
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: b.bytes)
        let bodyStart = bytes.count - b.bytes.count
        for handling in [PixelDataHandling.load, .skip, .stop] {
            let file = try DICOMFile.read(bytes: bytes, options: ReadOptions(pixelData: handling))
            let location = try #require(file.pixelData)
            #expect(location.elementOffset == bodyStart + pixelStart)
            #expect(location.valueOffset == bodyStart + pixelStart + 12)
            #expect(location.length == 8)
            #expect(location.vr == .OW)
            #expect(!location.isInInflatedData)
            #expect(Array(bytes[location.valueOffset ..< location.valueOffset + 8]) == [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(file.dataSet[.pixelData] != nil || handling != .load)
            #expect((file.dataSet[.dataSetTrailingPadding] != nil) == (handling != .stop))
            #expect(file.dataSet[Self.columns]?.integer == 2)
        }
    }

    @Test func headerOnlyNeverReadsPixelBytes() throws {
        // The pixel data claims far more bytes than there are: .stop must not care.
        var b = ByteBuilder(.explicitLE)
        b.us(Self.rows, 2)
        b.header(.pixelData, .OW, length: 1_000_000)
        b.bytes += [1, 2]
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: b.bytes)
        let file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        #expect(file.pixelData?.length == 1_000_000)
        #expect(file.dataSet.count == 1)
        #expect(throws: DICOMError(.lengthExceedsData, "")) { try DICOMFile.read(bytes: bytes) }
        #expect(throws: DICOMError(.lengthExceedsData, "")) { try DICOMFile.read(bytes: bytes, options: ReadOptions(pixelData: .skip)) }
    }

    @Test func skipEncapsulatedPixelData() throws {
        let bytes = Self.encapsulatedFile(offsetTable: [0], fragments: [[1, 2], [3, 4]])
        let skipped = try DICOMFile.read(bytes: bytes, options: ReadOptions(pixelData: .skip))
        #expect(skipped.dataSet[.pixelData] == nil)
        #expect(skipped.dataSet[.dataSetTrailingPadding] != nil)
        #expect(skipped.pixelData?.length == nil)
        let header = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        #expect(header.dataSet.count == 1)
        #expect(header.pixelData == skipped.pixelData)
    }

    @Test func pixelDataInsideASequenceIsAnOrdinaryElement() throws {
        var b = ByteBuilder(.explicitLE)
        b.sequence(Tag(0x0088, 0x0200), [{ $0.element(.pixelData, .OB, [1, 2]) }])  // icon image sequence
        b.text(.patientID, .LO, "P4")
        let file = try DICOMFile.read(bytes: b.bytes, options: .headerOnly)
        #expect(file.pixelData == nil)
        #expect(file.dataSet[Tag(0x0088, 0x0200)]?.items?.first?[.pixelData]?.bytes == [1, 2])
        #expect(file.dataSet[.patientID]?.string() == "P4")
    }

    // MARK: - Tolerances of real files

    @Test func unknownVRWithKnownTagIsReread() throws {
        var b = ByteBuilder(.explicitLE)
        b.element(.patientName, .UN, Array("Doe^Jane".utf8))
        var us = ByteBuilder(.explicitLE)
        us.u16(64)
        b.element(Self.rows, .UN, us.bytes)
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[.patientName]?.vr == .PN)
        #expect(file.dataSet[.patientName]?.string() == "Doe^Jane")
        #expect(file.dataSet[Self.rows]?.vr == .US)
        #expect(file.dataSet[Self.rows]?.integer == 64)
    }

    @Test func unknownVRSequenceIsReadAsImplicit() throws {
        var inner = ByteBuilder(.implicitLE)
        inner.item()
        inner.text(Self.referencedSOPInstance, .UI, "7.7")
        inner.itemEnd()
        inner.sequenceEnd()
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .UN, length: 0xFFFF_FFFF)
        b.bytes += inner.bytes
        b.text(.patientID, .LO, "P5")
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[Self.referencedSeries]?.vr == .SQ)
        #expect(file.dataSet[Self.referencedSeries]?.items?.first?[Self.referencedSOPInstance]?.string() == "7.7")
        #expect(file.dataSet[.patientID]?.string() == "P5")
    }

    @Test func privateElementsInImplicitVR() throws {
        var b = ByteBuilder(.implicitLE)
        b.text(.modality, .CS, "OT")
        b.text(Tag(0x0029, 0x0010), .LO, "ACME 1.0")
        b.element(Tag(0x0029, 0x1001), .OB, [1, 2, 3, 4])
        b.ul(Tag(0x0029, 0x0000), 12)  // a group length, out of order on purpose
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[Tag(0x0029, 0x0010)]?.vr == .LO)
        #expect(file.dataSet[Tag(0x0029, 0x0010)]?.string() == "ACME 1.0")
        #expect(file.dataSet[Tag(0x0029, 0x1001)]?.vr == .UN)
        #expect(file.dataSet[Tag(0x0029, 0x0000)]?.vr == .UL)
        #expect(file.dataSet.elements.map(\.tag) == [.modality, Tag(0x0029, 0x0000), Tag(0x0029, 0x0010), Tag(0x0029, 0x1001)])
    }

    @Test func oddLengthValueIsKept() throws {
        var b = ByteBuilder(.explicitLE)
        b.element(.patientID, .LO, Array("ABC".utf8))
        b.text(.modality, .CS, "MR")
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[.patientID]?.bytes == Array("ABC".utf8))
        #expect(file.dataSet[.modality]?.string() == "MR")
    }

    @Test func explicitDeclaredButImplicitEncoded() throws {
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: Self.basicBody(.implicitLE))
        let file = try DICOMFile.read(bytes: bytes)
        #expect(!file.transferSyntax.isExplicitVR)
        Self.expectBasic(file)
    }

    @Test func implicitDeclaredButExplicitEncoded() throws {
        let bytes = ByteBuilder.part10(syntax: Self.implicitLE, body: Self.basicBody(.explicitLE))
        let file = try DICOMFile.read(bytes: bytes)
        #expect(file.transferSyntax.isExplicitVR)
        Self.expectBasic(file)
    }

    @Test func trailingZeroPaddingIsIgnored() throws {
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: Self.basicBody(.explicitLE) + [UInt8](repeating: 0, count: 37))
        Self.expectBasic(try DICOMFile.read(bytes: bytes))
    }

    @Test func metaWithoutTransferSyntaxFallsBackToImplicit() throws {
        var meta = ByteBuilder(.explicitLE)
        meta.text(.mediaStorageSOPInstanceUID, .UI, "1.2.3.4")
        var group = ByteBuilder(.explicitLE)
        group.ul(.fileMetaInformationGroupLength, UInt32(meta.bytes.count))
        let bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + group.bytes + meta.bytes + Self.basicBody(.implicitLE)
        let file = try DICOMFile.read(bytes: bytes)
        #expect(file.transferSyntax == .implicitVRLittleEndian)
        Self.expectBasic(file)
    }

    // MARK: - Errors

    @Test func truncatedElementHeader() {
        let body = Self.basicBody(.explicitLE)
        // (7FE0,0010) OB: tag, VR, reserved bytes, then half of the 4-byte length.
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: body + [0xE0, 0x7F, 0x10, 0x00, 0x4F, 0x42, 0, 0, 0x10, 0x00])
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile.read(bytes: bytes) }
    }

    @Test func valueLengthPastTheEnd() throws {
        var b = ByteBuilder(.explicitLE)
        b.text(.modality, .CS, "MR")
        let elementStart = b.bytes.count
        b.header(.patientName, .PN, length: 40)
        b.bytes += Array("Doe".utf8)
        let bytes = ByteBuilder.part10(syntax: Self.explicitLE, body: b.bytes)
        do {
            _ = try DICOMFile.read(bytes: bytes)
            Issue.record("a value past the end was read")
        } catch {
            #expect(error.code == .lengthExceedsData)
            #expect(error.tag == .patientName)
            #expect(error.offset == bytes.count - b.bytes.count + elementStart)
            #expect(error.description.contains("0010,0010"))
        }
    }

    @Test func staleItemLengthPastTheEndIsReadToTheEnd() throws {
        // DICOMDIR-nooffset in the corpus: an element was removed, its item kept the old length.
        var item = ByteBuilder(.explicitLE)
        item.text(Self.referencedSOPInstance, .UI, "1.2")
        var b = ByteBuilder(.explicitLE)
        b.text(.modality, .CS, "MR")
        b.header(Self.referencedSeries, .SQ, length: UInt32(8 + item.bytes.count))
        b.item(length: UInt32(item.bytes.count + 12))
        b.bytes += item.bytes
        let file = try DICOMFile.read(bytes: b.bytes)
        #expect(file.dataSet[Self.referencedSeries]?.items?.first?[Self.referencedSOPInstance]?.string() == "1.2")
    }

    @Test func itemLengthPastTheEndInsideAValue() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
        b.item(length: 400)
        b.header(Self.referencedSOPInstance, .UI, length: 64)
        b.bytes += Array("1.2.3".utf8)
        #expect(throws: DICOMError(.lengthExceedsData, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func itemLengthPastTheEndWithoutDelimiters() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
        b.item(length: 400)
        b.text(Self.referencedSOPInstance, .UI, "1.2")
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func badItemTagInSequence() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
        b.text(Self.referencedSOPInstance, .UI, "1.2")  // an element where an item belongs
        b.sequenceEnd()
        #expect(throws: DICOMError(.invalidItemTag, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func itemDelimiterAtTopLevel() {
        var b = ByteBuilder(.explicitLE)
        b.text(.modality, .CS, "MR")
        b.itemEnd()
        b.text(.patientID, .LO, "P6")
        #expect(throws: DICOMError(.unbalancedDelimiter, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func sequenceDelimiterAtTopLevel() {
        var b = ByteBuilder(.explicitLE)
        b.text(.modality, .CS, "MR")
        b.sequenceEnd()
        b.text(.patientID, .LO, "P6")
        #expect(throws: DICOMError(.unbalancedDelimiter, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func sequenceDelimiterInDefinedLengthSequence() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 16)
        b.item(length: 0)
        b.sequenceEnd()
        b.text(.patientID, .LO, "P6")
        #expect(throws: DICOMError(.unbalancedDelimiter, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func itemWithoutItemDelimiter() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
        b.item()
        b.text(Self.referencedSOPInstance, .UI, "1.2")
        #expect(throws: DICOMError(.unbalancedDelimiter, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    @Test func sequenceWithoutSequenceDelimiter() {
        var b = ByteBuilder(.explicitLE)
        b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
        b.item()
        b.text(Self.referencedSOPInstance, .UI, "1.2")
        b.itemEnd()
        #expect(throws: DICOMError(.truncated, "")) { try DICOMFile.read(bytes: b.bytes) }
    }

    /// Sequences nested `depth` deep, each with one item.
    static func nested(_ depth: Int) -> [UInt8] {
        var b = ByteBuilder(.explicitLE)
        for _ in 0 ..< depth {
            b.header(Self.referencedSeries, .SQ, length: 0xFFFF_FFFF)
            b.item()
        }
        b.text(.modality, .CS, "MR")
        for _ in 0 ..< depth {
            b.itemEnd()
            b.sequenceEnd()
        }
        return b.bytes
    }

    @Test func nestingUpToTheLimitReads() throws {
        let limits = ParseLimits(maxDepth: 5)
        let file = try DICOMFile.read(bytes: Self.nested(5), options: ReadOptions(limits: limits))
        let path = Array(repeating: (Self.referencedSeries, 0), count: 5)
        #expect(file.dataSet.element(at: path, .modality)?.string() == "MR")
    }

    @Test func nestingDeeperThanTheLimit() {
        let limits = ParseLimits(maxDepth: 5)
        #expect(throws: DICOMError(.nestingTooDeep, "")) {
            try DICOMFile.read(bytes: Self.nested(6), options: ReadOptions(limits: limits))
        }
        // The default limit holds for a hostile file too, without exhausting the stack.
        #expect(throws: DICOMError(.nestingTooDeep, "")) { try DICOMFile.read(bytes: Self.nested(ParseLimits.default.maxDepth + 1)) }
    }

    @Test func elementCountLimit() throws {
        let body = Self.basicBody(.explicitLE)
        #expect(throws: DICOMError(.limitExceeded, "")) {
            try DICOMFile.read(bytes: body, options: ReadOptions(limits: ParseLimits(maxElements: 6)))
        }
        _ = try DICOMFile.read(bytes: body, options: ReadOptions(limits: ParseLimits(maxElements: 7)))
    }

    @Test func elementLengthLimit() {
        #expect(throws: DICOMError(.limitExceeded, "")) {
            try DICOMFile.read(bytes: Self.basicBody(.explicitLE), options: ReadOptions(limits: ParseLimits(maxElementLength: 8)))
        }
    }

    @Test func itemCountLimit() {
        var b = ByteBuilder(.explicitLE)
        b.sequence(Self.referencedSeries, Array(repeating: { $0.text(.modality, .CS, "MR") }, count: 4))
        #expect(throws: DICOMError(.limitExceeded, "")) {
            try DICOMFile.read(bytes: b.bytes, options: ReadOptions(limits: ParseLimits(maxItems: 3)))
        }
    }

    @Test func jsonTextIsNotDICOM() {
        let json = Array(#"{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}]}}"#.utf8)
        #expect(throws: DICOMError(.notDICOM, "")) { try DICOMFile.read(bytes: json) }
    }

    @Test func pngHeaderIsNotDICOM() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
                            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89]
        #expect(throws: DICOMError(.notDICOM, "")) { try DICOMFile.read(bytes: png) }
    }

    @Test func emptyAndTinyInputsAreNotDICOM() {
        for bytes in [[], [0x08], [0x08, 0x00, 0x60], [UInt8](repeating: 0, count: 132)] as [[UInt8]] {
            #expect(throws: DICOMError(.notDICOM, "")) { try DICOMFile.read(bytes: bytes) }
        }
    }

    @Test func prefixWithoutDataSet() {
        // Preamble and DICM, then nothing.
        let bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        #expect(throws: DICOMError(.notDICOM, "")) { try DICOMFile.read(bytes: bytes) }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: DICOMError(.ioError, "")) { try DICOMFile.read(contentsOf: "/nonexistent/file.dcm") }
    }

    // MARK: - Bare data sets in a negotiated syntax (as DIMSE carries them)

    @Test(arguments: [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian,
                      .deflatedExplicitVRLittleEndian])
    func bareDataSetInNegotiatedSyntax(_ syntax: TransferSyntax) throws {
        let item = DataSet([.string(Tag(0x0008, 0x0100), .SH, "T-A0100")])
        let original = DataSet([
            .string(Tag(0x0008, 0x0052), .CS, "STUDY"),
            .string(.patientName, .PN, "Doe^J"),
            DataElement(tag: Tag(0x0008, 0x1032), vr: .SQ, value: .sequence([item])),
            .uint16(Tag(0x0028, 0x0010), [512]),
        ])
        let bytes = try original.serialized(transferSyntax: syntax)
        let read = try DataSet.read(bytes: bytes, transferSyntax: syntax)
        #expect(read.string(Tag(0x0008, 0x0052)) == "STUDY")
        #expect(read.string(.patientName) == "Doe^J")
        #expect(read[Tag(0x0028, 0x0010)]?.integer == 512)
        #expect(read[Tag(0x0008, 0x1032)]?.items?.first?.string(Tag(0x0008, 0x0100)) == "T-A0100")
    }

    @Test func emptyBareDataSetIsEmpty() throws {
        #expect(try DataSet.read(bytes: [], transferSyntax: .implicitVRLittleEndian).isEmpty)
    }

    @Test func truncatedBareDataSetThrows() throws {
        let bytes = try DataSet([.string(.patientName, .PN, "Doe^J")]).serialized(transferSyntax: .explicitVRLittleEndian)
        #expect(throws: DICOMError.self) {
            try DataSet.read(bytes: Array(bytes.dropLast(3)), transferSyntax: .explicitVRLittleEndian)
        }
    }

}
