import Foundation
import Testing
@testable import DICOM

/// Byte-exact encodings of small data sets in each transfer syntax, computed by hand from PS3.5 §7.
@Suite struct WriterTests {
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// (0010,0010) PN "Doe^J" (odd: padded with a space), (0028,0010) US 512, (7FE0,0010) OW 0x0201 0x0403.
    static let simple = DataSet([
        .string(.patientName, .PN, "Doe^J"),
        .uint16(Tag(0x0028, 0x0010), [512]),
        DataElement(tag: .pixelData, vr: .OW, bytes: [0x01, 0x02, 0x03, 0x04]),
    ])

    @Test func implicitLittleEndian() throws {
        let bytes = try Self.simple.serialized(transferSyntax: .implicitVRLittleEndian)
        let expected: [UInt8] = [0x10, 0x00, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00] + Self.ascii("Doe^J ")
            + [0x28, 0x00, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02]
            + [0xE0, 0x7F, 0x10, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04]
        #expect(bytes == expected)
    }

    @Test func explicitLittleEndian() throws {
        let bytes = try Self.simple.serialized(transferSyntax: .explicitVRLittleEndian)
        let expected: [UInt8] = [0x10, 0x00, 0x10, 0x00] + Self.ascii("PN") + [0x06, 0x00] + Self.ascii("Doe^J ")
            + [0x28, 0x00, 0x10, 0x00] + Self.ascii("US") + [0x02, 0x00, 0x00, 0x02]
            + [0xE0, 0x7F, 0x10, 0x00] + Self.ascii("OW") + [0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04]
        #expect(bytes == expected)
    }

    @Test func explicitBigEndianSwapsNumbersOnly() throws {
        let bytes = try Self.simple.serialized(transferSyntax: .explicitVRBigEndian)
        let expected: [UInt8] = [0x00, 0x10, 0x00, 0x10] + Self.ascii("PN") + [0x00, 0x06] + Self.ascii("Doe^J ")
            + [0x00, 0x28, 0x00, 0x10] + Self.ascii("US") + [0x00, 0x02, 0x02, 0x00]
            + [0x7F, 0xE0, 0x00, 0x10] + Self.ascii("OW") + [0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x01, 0x04, 0x03]
        #expect(bytes == expected)
    }

    @Test func bigEndianSwapsEachWordSize() throws {
        let ds = DataSet([
            DataElement(tag: Tag(0x0018, 0x9087), vr: .FD, bytes: [1, 2, 3, 4, 5, 6, 7, 8]),
            DataElement(tag: Tag(0x0020, 0x9165), vr: .AT, bytes: [0x28, 0x00, 0x10, 0x00]),
            DataElement(tag: Tag(0x0028, 0x1052), vr: .DS, bytes: Self.ascii("1.5 ")),
        ])
        let bytes = try ds.serialized(transferSyntax: .explicitVRBigEndian)
        let expected: [UInt8] = [0x00, 0x18, 0x90, 0x87] + Self.ascii("FD") + [0x00, 0x08, 8, 7, 6, 5, 4, 3, 2, 1]
            + [0x00, 0x20, 0x91, 0x65] + Self.ascii("AT") + [0x00, 0x04, 0x00, 0x28, 0x00, 0x10]
            + [0x00, 0x28, 0x10, 0x52] + Self.ascii("DS") + [0x00, 0x04] + Self.ascii("1.5 ")
        #expect(bytes == expected)
        let back = try DICOMFile.read(bytes: bytes)
        #expect(back.transferSyntax == .explicitVRBigEndian)
        #expect(back.dataSet == ds)
    }

    @Test func deflatedIsRawDeflateOfExplicitLittleEndian() throws {
        let deflated = try Self.simple.serialized(transferSyntax: .deflatedExplicitVRLittleEndian)
        let plain = try Self.simple.serialized(transferSyntax: .explicitVRLittleEndian)
        #expect(deflated != plain)
        #expect(try Inflate.raw(deflated, from: 0, limit: 1 << 20) == plain)
    }

    @Test func oddValuesArePaddedWithTheirVRsByte() throws {
        let ds = DataSet([
            .string(.sopInstanceUID, .UI, "1.2.3"),
            DataElement(tag: Tag(0x0009, 0x1001), vr: .OB, bytes: [7]),
            DataElement(tag: Tag(0x0010, 0x0020), vr: .LO, bytes: Self.ascii("ABC")),
        ])
        let bytes = try ds.serialized(transferSyntax: .explicitVRLittleEndian)
        let expected: [UInt8] = [0x08, 0x00, 0x18, 0x00] + Self.ascii("UI") + [0x06, 0x00] + Self.ascii("1.2.3") + [0]
            + [0x09, 0x00, 0x01, 0x10] + Self.ascii("OB") + [0, 0, 2, 0, 0, 0, 7, 0]
            + [0x10, 0x00, 0x20, 0x00] + Self.ascii("LO") + [0x04, 0x00] + Self.ascii("ABC ")
        #expect(bytes == expected)
    }

    /// (0008,1140) SQ, one item with (0008,1150) UI "1.2" (padded to 4 bytes).
    static let sequence = DataSet([
        DataElement(tag: Tag(0x0008, 0x1140), vr: .SQ, value: .sequence([
            DataSet([.string(Tag(0x0008, 0x1150), .UI, "1.2")]),
        ])),
    ])
    static let itemElementExplicit: [UInt8] = [0x08, 0x00, 0x50, 0x11] + ascii("UI") + [0x04, 0x00] + ascii("1.2") + [0]

    @Test func sequenceWithDefinedLengths() throws {
        let bytes = try Self.sequence.serialized(transferSyntax: .explicitVRLittleEndian)
        let expected: [UInt8] = [0x08, 0x00, 0x40, 0x11] + Self.ascii("SQ") + [0, 0, 20, 0, 0, 0]
            + [0xFE, 0xFF, 0x00, 0xE0, 12, 0, 0, 0] + Self.itemElementExplicit
        #expect(bytes == expected)
    }

    @Test func sequenceWithUndefinedLengths() throws {
        let bytes = try Self.sequence.serialized(transferSyntax: .explicitVRLittleEndian,
                                                 options: WriteOptions(sequenceLength: .undefined))
        let expected: [UInt8] = [0x08, 0x00, 0x40, 0x11] + Self.ascii("SQ") + [0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
            + [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF] + Self.itemElementExplicit
            + [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0] + [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
        #expect(bytes == expected)
        #expect(try DICOMFile.read(bytes: bytes).dataSet == Self.sequence)
    }

    @Test func sequenceInImplicitAndBigEndian() throws {
        let implicit = try Self.sequence.serialized(transferSyntax: .implicitVRLittleEndian)
        #expect(implicit == [0x08, 0x00, 0x40, 0x11, 20, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 12, 0, 0, 0,
                             0x08, 0x00, 0x50, 0x11, 4, 0, 0, 0] + Self.ascii("1.2") + [0])
        let big = try Self.sequence.serialized(transferSyntax: .explicitVRBigEndian)
        #expect(big == [0x00, 0x08, 0x11, 0x40] + Self.ascii("SQ") + [0, 0, 0, 0, 0, 20]
                + [0xFF, 0xFE, 0xE0, 0x00, 0, 0, 0, 12]
                + [0x00, 0x08, 0x11, 0x50] + Self.ascii("UI") + [0x00, 0x04] + Self.ascii("1.2") + [0])
    }

    @Test func privateSequenceInImplicitVRHasUndefinedLength() throws {
        let ds = DataSet([
            .string(.modality, .CS, "OT"),
            .string(Tag(0x0009, 0x0010), .LO, "ACME"),
            DataElement(tag: Tag(0x0009, 0x1001), vr: .SQ, value: .sequence([DataSet()])),
        ])
        let bytes = try ds.serialized(transferSyntax: .implicitVRLittleEndian)
        #expect(Array(bytes.suffix(32)) == [0x09, 0x00, 0x01, 0x10, 0xFF, 0xFF, 0xFF, 0xFF,
                                            0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF,
                                            0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0])
        // Read back without a dictionary VR, the undefined length is what makes it a sequence again.
        #expect(try DICOMFile.read(bytes: bytes).dataSet == ds)
    }

    @Test func encapsulatedPixelData() throws {
        let ds = DataSet([DataElement(tag: .pixelData, vr: .OB, value: .fragments(
            EncapsulatedPixelData(basicOffsetTable: [0, 0, 0, 0], fragments: [[0xFF, 0xD8, 0xFF, 0xD9], [1, 2, 3]])))])
        let bytes = try ds.serialized(transferSyntax: .jpegBaseline)
        let expected: [UInt8] = [0xE0, 0x7F, 0x10, 0x00] + Self.ascii("OB") + [0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
            + [0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0]
            + [0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0xD9]
            + [0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 1, 2, 3, 0]
            + [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
        #expect(bytes == expected)
        // An empty offset table is still written, as an item of length 0.
        let noTable = DataSet([DataElement(tag: .pixelData, vr: .OB, value: .fragments(
            EncapsulatedPixelData(fragments: [[1, 2]])))])
        let tableless = try noTable.serialized(transferSyntax: .rleLossless)
        #expect(Array(tableless[12 ..< 20]) == [0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0])
        #expect(tableless.count == 12 + 8 + 10 + 8)
    }

    @Test func refusesPixelDataInTheWrongForm() throws {
        #expect(throws: DICOMError(.writeFailed, "")) {
            try Self.simple.serialized(transferSyntax: .jpegBaseline)
        }
        let encapsulated = DataSet([DataElement(tag: .pixelData, vr: .OB, value: .fragments(
            EncapsulatedPixelData(fragments: [[1, 2]])))])
        for syntax in [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian,
                       .deflatedExplicitVRLittleEndian] {
            #expect(throws: DICOMError(.writeFailed, "")) { try encapsulated.serialized(transferSyntax: syntax) }
        }
    }

    @Test func longShortFormValueIsWrittenAsUN() throws {
        // Histogram Data (0060,3020) UL: 16,384 values are 65,536 bytes, one more than a 16-bit length holds.
        let histogram = Tag(0x0060, 0x3020)
        let ds = DataSet([.uint32(histogram, [UInt32](repeating: 0x1234_5678, count: 16384))])
        let bytes = try ds.serialized(transferSyntax: .explicitVRLittleEndian)
        #expect(Array(bytes.prefix(12)) == [0x60, 0x00, 0x20, 0x30] + Self.ascii("UN") + [0, 0, 0x00, 0x00, 0x01, 0x00])
        #expect(Array(bytes[12 ..< 16]) == [0x78, 0x56, 0x34, 0x12])
        #expect(bytes.count == 12 + 65536)
        // A reader that knows the tag restores the dictionary VR (UL), in either byte order.
        #expect(try DICOMFile.read(bytes: [0x08, 0x00, 0x60, 0x00] + Self.ascii("CS") + [2, 0] + Self.ascii("OT") + bytes)
            .dataSet == DataSet(ds.elements + [.string(.modality, .CS, "OT")]))
        let big = try ds.serialized(transferSyntax: .explicitVRBigEndian)
        #expect(Array(big.prefix(12)) == [0x00, 0x60, 0x30, 0x20] + Self.ascii("UN") + [0, 0, 0x00, 0x01, 0x00, 0x00])
        #expect(Array(big[12 ..< 16]) == [0x12, 0x34, 0x56, 0x78])
        let bigFile = DICOMFile(dataSet: DataSet(ds.elements + Self.instance().elements), transferSyntax: .explicitVRBigEndian)
        #expect(try DICOMFile.read(bytes: try bigFile.serialized()).dataSet == bigFile.dataSet)
    }

    @Test func groupLengthsAreDroppedButCommandGroupLengthIsComputed() throws {
        let ds = DataSet([
            .uint32(Tag(0x0000, 0x0000), [999]),
            .uint16(Tag(0x0000, 0x0100), [1]),
            .uint32(Tag(0x0008, 0x0000), [1234]),
            .string(Tag(0x0008, 0x0060), .CS, "CT"),
            DataElement(tag: Tag(0x0008, 0x1140), vr: .SQ, value: .sequence([
                DataSet([.uint32(Tag(0x0008, 0x0000), [8]), .string(Tag(0x0008, 0x1150), .UI, "1.2")]),
            ])),
        ])
        let bytes = try ds.serialized(transferSyntax: .implicitVRLittleEndian)
        let expected: [UInt8] = [0, 0, 0, 0, 4, 0, 0, 0, 10, 0, 0, 0]
            + [0, 0, 0, 1, 2, 0, 0, 0, 1, 0]
            + [0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0] + Self.ascii("CT")
            + [0x08, 0x00, 0x40, 0x11, 20, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 12, 0, 0, 0,
               0x08, 0x00, 0x50, 0x11, 4, 0, 0, 0] + Self.ascii("1.2") + [0]
        #expect(bytes == expected)
    }

    @Test func refusesDelimiterTagsAndBytesInSequences() {
        #expect(throws: DICOMError(.writeFailed, "")) {
            try DataSet([DataElement(tag: .item, vr: .OB, bytes: [])]).serialized(transferSyntax: .explicitVRLittleEndian)
        }
        #expect(throws: DICOMError(.writeFailed, "")) {
            try DataSet([DataElement(tag: Tag(0x0008, 0x1140), vr: .SQ, bytes: [1, 2])])
                .serialized(transferSyntax: .explicitVRLittleEndian)
        }
    }

    // MARK: Part 10

    static func instance() -> DataSet {
        DataSet([
            .string(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.7"),
            .string(.sopInstanceUID, .UI, "1.2.826.0.1.3680043.2.1143.1"),
            .string(.studyInstanceUID, .UI, "1.2.3.4"),
            .string(.seriesInstanceUID, .UI, "1.2.3.4.5"),
            .string(.modality, .CS, "OT"),
            .string(.patientName, .PN, "Doe^Jane"),
            .string(.patientID, .LO, "PID-1"),
            .uint16(Tag(0x0028, 0x0002), [1]),
            .string(Tag(0x0028, 0x0004), .CS, "MONOCHROME2"),
            .uint16(Tag(0x0028, 0x0010), [2]),
            .uint16(Tag(0x0028, 0x0011), [2]),
            .uint16(.bitsAllocated, [16]),
            .uint16(Tag(0x0028, 0x0101), [12]),
            .uint16(Tag(0x0028, 0x0102), [11]),
            .uint16(.pixelRepresentation, [0]),
            DataElement(tag: Tag(0x0008, 0x1140), vr: .SQ, value: .sequence([
                DataSet([.string(Tag(0x0008, 0x1150), .UI, "1.2.840.10008.5.1.4.1.1.7"),
                         .string(Tag(0x0008, 0x1155), .UI, "1.2.3")]),
            ])),
            .uint16(.pixelData, [1, 2, 3, 4]),
        ].map { var e = $0; if e.tag == .pixelData { e.vr = .OW }; return e })
    }

    @Test func fileMetaInformation() throws {
        let file = DICOMFile(dataSet: Self.instance(), transferSyntax: .explicitVRLittleEndian)
        let bytes = try file.serialized(options: WriteOptions(sourceApplicationEntityTitle: "PHAROS"))
        #expect(bytes.prefix(128).allSatisfy { $0 == 0 })
        #expect(Array(bytes[128 ..< 132]) == Self.ascii("DICM"))
        // (0002,0000) UL, 4 bytes, then the group's byte count.
        #expect(Array(bytes[132 ..< 140]) == [0x02, 0x00, 0x00, 0x00] + Self.ascii("UL") + [4, 0])
        let groupLength = Int(bytes[140]) | Int(bytes[141]) << 8 | Int(bytes[142]) << 16 | Int(bytes[143]) << 24
        let metaEnd = 144 + groupLength
        #expect(bytes[metaEnd] == 0x08 && bytes[metaEnd + 1] == 0x00)  // the data set starts right after the group
        #expect(Array(bytes[144 ..< 158]) == [0x02, 0x00, 0x01, 0x00] + Self.ascii("OB") + [0, 0, 2, 0, 0, 0, 0x00, 0x01])

        let back = try DICOMFile.read(bytes: bytes)
        let meta = back.fileMetaInformation
        #expect(meta.integer(.fileMetaInformationGroupLength) == Int64(groupLength))
        #expect(meta[.fileMetaInformationVersion]?.bytes == [0x00, 0x01])
        #expect(meta.string(.mediaStorageSOPClassUID) == "1.2.840.10008.5.1.4.1.1.7")
        #expect(meta.string(.mediaStorageSOPInstanceUID) == "1.2.826.0.1.3680043.2.1143.1")
        #expect(meta.string(.transferSyntaxUID) == TransferSyntax.explicitVRLittleEndian.uid)
        #expect(meta.string(.implementationClassUID) == Pharos.implementationClassUID)
        #expect(meta.string(.implementationVersionName) == "PHAROS_0.1")
        #expect(meta.string(.sourceApplicationEntityTitle) == "PHAROS")
        #expect(back.hasPreamble)
        #expect(back.dataSet == Self.instance())
        #expect(UID.isValid(Pharos.implementationClassUID))
    }

    @Test func metaGroupIsRebuiltKeepingOptionalElements() throws {
        let oldMeta = DataSet([
            .string(.transferSyntaxUID, .UI, TransferSyntax.implicitVRLittleEndian.uid),
            .string(.implementationClassUID, .UI, "1.2.3.999"),
            .string(.sourceApplicationEntityTitle, .AE, "MODALITY"),
            .string(Tag(0x0002, 0x0100), .UI, "1.2.3.4.5.6"),
        ])
        var dataSet = Self.instance()
        dataSet.set(.string(.transferSyntaxUID, .UI, "9.9"))  // a stray meta element in the data set is not written
        let file = DICOMFile(fileMetaInformation: oldMeta, dataSet: dataSet, transferSyntax: .implicitVRLittleEndian)
        let back = try DICOMFile.read(bytes: try file.serialized(transferSyntax: .explicitVRBigEndian))
        #expect(back.transferSyntax == .explicitVRBigEndian)
        #expect(back.fileMetaInformation.string(.transferSyntaxUID) == TransferSyntax.explicitVRBigEndian.uid)
        #expect(back.fileMetaInformation.string(.implementationClassUID) == Pharos.implementationClassUID)
        #expect(back.fileMetaInformation.string(.sourceApplicationEntityTitle) == "MODALITY")
        #expect(back.fileMetaInformation.string(Tag(0x0002, 0x0100)) == "1.2.3.4.5.6")
        #expect(back.dataSet == Self.instance())
    }

    @Test func refusesFileWithoutSOPIdentity() {
        var dataSet = Self.instance()
        dataSet.remove(.sopInstanceUID)
        #expect(throws: DICOMError(.writeFailed, "")) {
            try DICOMFile(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian).serialized()
        }
    }

    @Test func writeToDiskIsReadBack() throws {
        let path = NSTemporaryDirectory() + "pharos-writer-\(UUID().uuidString).dcm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = DICOMFile(dataSet: Self.instance(), transferSyntax: .deflatedExplicitVRLittleEndian)
        try file.write(to: path)
        let back = try DICOMFile.read(contentsOf: path)
        #expect(back.transferSyntax == .deflatedExplicitVRLittleEndian)
        #expect(back.dataSet == Self.instance())
    }

    /// DCMTK must accept every file we write: `dcmftest` checks the Part 10 header, `dcmdump` (stopping on any
    /// error, its default) parses everything, and what it prints must hold our values.
    @Test(arguments: [TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian,
                      .deflatedExplicitVRLittleEndian])
    func dcmtkAcceptsWrittenFiles(syntax: TransferSyntax) throws {
        guard let dcmdump = DCMTK.tool("dcmdump"), let dcmftest = DCMTK.tool("dcmftest") else {
            Issue.record("DCMTK (dcmdump, dcmftest) is not installed: run `make deps`")
            return
        }
        let path = NSTemporaryDirectory() + "pharos-dcmtk-\(UUID().uuidString).dcm"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for length in [LengthEncoding.defined, .undefined] {
            try DICOMFile(dataSet: Self.instance(), transferSyntax: syntax)
                .write(to: path, options: WriteOptions(sequenceLength: length))
            let test = try DCMTK.run(dcmftest, [path])
            #expect(test.status == 0 && test.output.hasPrefix("yes"), "dcmftest: \(test.output)")
            let dump = try DCMTK.run(dcmdump, ["-E", path])
            #expect(dump.status == 0, "dcmdump failed: \(dump.output)")
            #expect(dump.output.contains("[Doe^Jane]"))
            #expect(dump.output.contains("[PHAROS_0.1]"))
            #expect(dump.output.contains("[\(Pharos.implementationClassUID)]"))
            #expect(dump.output.contains("(0008,1155) UI [1.2.3]"))
            #expect(dump.output.contains("(0028,0010) US 2"))
            #expect(!dump.output.contains("E: ") && !dump.output.contains("W: "), "dcmdump: \(dump.output)")
        }
    }
}

/// Runs DCMTK's command-line tools for checks against an independent implementation.
enum DCMTK {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension WriterTests {
    /// Editing at any depth through `DataSetPath`.
    @Suite struct Editing {
        static let refSeq = Tag(0x0008, 0x1140)
        static let refUID = Tag(0x0008, 0x1155)
        static let spsSeq = Tag(0x0040, 0x0275)
        static let codeSeq = Tag(0x0040, 0x0008)

        static func nested() -> DataSet {
            DataSet([
                .string(.patientName, .PN, "A^B"),
                DataElement(tag: refSeq, vr: .SQ, value: .sequence([
                    DataSet([.string(refUID, .UI, "1.1")]),
                    DataSet([.string(refUID, .UI, "1.2")]),
                ])),
                DataElement(tag: spsSeq, vr: .SQ, value: .sequence([
                    DataSet([DataElement(tag: codeSeq, vr: .SQ, value: .sequence([
                        DataSet([.string(Tag(0x0008, 0x0100), .SH, "X1")]),
                    ]))]),
                ])),
            ])
        }

        @Test func parsesBothOrthancForms() throws {
            let dotted = try DataSetPath(parsing: "0040,0275[0].0040,0008[0].0008,0100")
            let slashed = try DataSetPath(parsing: "0040-0275/0/0040-0008/0/0008-0100")
            let keywords = try DataSetPath(parsing: "RequestAttributesSequence[0].ScheduledProtocolCodeSequence[0].CodeValue")
            #expect(dotted == slashed)
            #expect(dotted == keywords)
            #expect(dotted.description == "0040,0275[0].0040,0008[0].0008,0100")
            #expect(dotted.tag == Tag(0x0008, 0x0100))
            #expect(!dotted.isItem)
            let item = try DataSetPath(parsing: "/0008-1140/1")
            #expect(item.isItem && item.tag == Self.refSeq)
            #expect(try DataSetPath(parsing: "0008,1140[*].0008,1155").hasWildcard)
            #expect(try DataSetPath(parsing: "PatientName") == DataSetPath(.patientName))
            #expect(try DataSetPath(parsing: "(0010,0010)") == DataSetPath(.patientName))
        }

        @Test(arguments: ["", "0008,1140.0008,1155", "0008,1140[x].0008,1155", "0008,1140[-1].0008,1155",
                          "0008,1140[0.0008,1155", "NoSuchKeyword", "0008-1140/zero/0008-1155", "0008,1140[0]..0008,1155"])
        func rejectsMalformedPaths(text: String) {
            #expect(throws: DICOMError(.invalidValue, "")) { try DataSetPath(parsing: text) }
        }

        @Test func readsAtAnyDepth() throws {
            let ds = Self.nested()
            #expect(ds.element(at: try DataSetPath(parsing: "0040,0275[0].0040,0008[0].0008,0100"))?.string() == "X1")
            #expect(ds.elements(at: try DataSetPath(parsing: "0008,1140[*].0008,1155")).map { $0.string() } == ["1.1", "1.2"])
            #expect(ds.item(at: try DataSetPath(parsing: "0008-1140/1"))?.string(Self.refUID) == "1.2")
            #expect(ds.element(at: try DataSetPath(parsing: "0008,1140[5].0008,1155")) == nil)
            #expect(ds.element(at: DataSetPath(.patientName))?.string() == "A^B")
        }

        @Test func insertsReplacesAndRemovesNested() throws {
            var ds = Self.nested()
            let code = try DataSetPath(parsing: "0040,0275[0].0040,0008[0].0008,0100")
            #expect(ds.set(.string(Tag(0x0008, 0x0100), .SH, "Y2"), at: code) == 1)
            #expect(ds.element(at: code)?.string() == "Y2")

            let meaning = try DataSetPath(parsing: "0040,0275[0].0040,0008[0].0008,0104")
            // The element's own tag does not matter: the path's is used.
            #expect(ds.set(.string(Tag(0x0010, 0x0010), .LO, "Meaning"), at: meaning) == 1)
            #expect(ds.element(at: meaning)?.tag == Tag(0x0008, 0x0104))
            #expect(ds.element(at: meaning)?.string() == "Meaning")

            #expect(ds.replaceExisting(.string(Self.refUID, .UI, "9"), at: try DataSetPath(parsing: "0008,1140[*].0008,1155")) == 2)
            #expect(ds.elements(at: try DataSetPath(parsing: "0008,1140[*].0008,1155")).map { $0.string() } == ["9", "9"])
            #expect(ds.replaceExisting(.string(Tag(0x0008, 0x1150), .UI, "1"),
                                       at: try DataSetPath(parsing: "0008,1140[*].0008,1150")) == 0)

            // A missing item is never created.
            #expect(ds.set(.string(Self.refUID, .UI, "7"), at: try DataSetPath(parsing: "0008,1140[2].0008,1155")) == 0)
            #expect(ds[Self.refSeq]?.items?.count == 2)

            #expect(ds.remove(at: code) == 1)
            #expect(ds.element(at: code) == nil)
            #expect(ds.remove(at: code) == 0)
            #expect(ds.remove(at: try DataSetPath(parsing: "0008-1140/0")) == 1)
            #expect(ds[Self.refSeq]?.items?.count == 1)
            #expect(ds.remove(at: DataSetPath(.patientName)) == 1)
            #expect(ds[.patientName] == nil)

            // Edits survive serialization.
            let bytes = try ds.serialized(transferSyntax: .explicitVRLittleEndian)
            #expect(try DICOMFile.read(bytes: bytes).dataSet == ds)
        }

        @Test func modifyVisitsEveryItemOfAWildcard() throws {
            var ds = Self.nested()
            var seen: [String?] = []
            let visited = ds.modify(at: try DataSetPath(parsing: "0008,1140[*].0008,1155")) { element in
                seen.append(element?.string())
                element = nil
            }
            #expect(visited == 2)
            #expect(seen == ["1.1", "1.2"])
            #expect(ds[Self.refSeq]?.items == [DataSet(), DataSet()])
        }
    }
}
