import Foundation

extension DICOMFile {
    /// Reads a Part 10 file (preamble, `DICM`, file meta group) or a raw data set without meta header (PS3.10 §7).
    public static func read(bytes: [UInt8], options: ReadOptions = ReadOptions()) throws(DICOMError) -> DICOMFile {
        var position = 0
        var hasPreamble = false
        if bytes.count >= 132, bytes[128] == 0x44, bytes[129] == 0x49, bytes[130] == 0x43, bytes[131] == 0x4D {
            position = 132
            hasPreamble = true
        } else if bytes.count >= 4, bytes[0] == 0x44, bytes[1] == 0x49, bytes[2] == 0x43, bytes[3] == 0x4D {
            position = 4  // "DICM" without the preamble, as some writers produce
        }

        var meta = DataSet()
        if position > 0 || Self.startsWithMetaGroup(bytes) {
            var parser = DataSetParser(reader: ByteReader(bytes, start: position, end: Self.metaGroupEnd(bytes, from: position)),
                                       explicitVR: true, options: ReadOptions(limits: options.limits))
            meta = try parser.parseTopLevel()
            position = parser.reader.position
        }

        let declared = meta.string(.transferSyntaxUID).map(TransferSyntax.lookupOrPrivate)
        // With file meta information but no transfer syntax, DCMTK falls back to implicit VR little endian.
        let fallback: TransferSyntax? = meta.isEmpty ? nil : .implicitVRLittleEndian
        guard let syntax = declared ?? Self.guessSyntax(bytes, at: position) ?? fallback else {
            throw DICOMError(.notDICOM, "Not DICOM: no DICM prefix, no file meta information, and the first bytes are not a data element",
                             offset: position)
        }
        var effective = syntax
        var data = bytes
        var start = position
        if syntax.isDeflated {
            data = try Inflate.raw(bytes, from: position, limit: options.limits.maxInflatedSize)
            start = 0
        }
        // Files that declare one VR encoding and use the other are common enough that DCMTK and pydicom detect them.
        if !syntax.isBigEndian, let actual = Self.guessSyntax(data, at: start), actual.isExplicitVR != syntax.isExplicitVR,
           !actual.isBigEndian {
            effective = actual.isExplicitVR ? .explicitVRLittleEndian : .implicitVRLittleEndian
        }

        var parser = DataSetParser(reader: ByteReader(data, start: start, bigEndian: effective.isBigEndian),
                                   explicitVR: effective.isExplicitVR, options: options, inflated: syntax.isDeflated)
        let dataSet = try parser.parseTopLevel()
        if meta.isEmpty && dataSet.isEmpty {
            throw DICOMError(.notDICOM, "Not DICOM: the data set is empty", offset: start)
        }
        return DICOMFile(fileMetaInformation: meta, dataSet: dataSet,
                         transferSyntax: effective,
                         hasPreamble: hasPreamble, pixelData: parser.pixelData)
    }

    /// Reads a file from disk.
    public static func read(contentsOf path: String, options: ReadOptions = ReadOptions()) throws(DICOMError) -> DICOMFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw DICOMError(.ioError, "Cannot read \(path): \(error.localizedDescription)")
        }
        return try read(bytes: [UInt8](data), options: options)
    }

    /// A raw stream that starts directly with (0002,xxxx) explicit VR elements.
    private static func startsWithMetaGroup(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0] == 0x02 && bytes[1] == 0x00 && VR(bytes[4], bytes[5]) != nil
    }

    /// End of the file meta group: where the first element of another group starts (the group length is not trusted).
    private static func metaGroupEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var reader = ByteReader(bytes, start: start)
        while reader.remaining >= 8, reader.peekUInt16() == 0x0002 {
            let before = reader.position
            guard (try? reader.skip(4)) != nil else { break }
            var length: Int
            if let b0 = reader.peekByte(), let b1 = reader.peekByte(at: 1), let vr = VR(b0, b1) {
                try? reader.skip(2)
                if vr.hasLongExplicitLength {
                    try? reader.skip(2)
                    length = Int((try? reader.readUInt32()) ?? 0)
                } else {
                    length = Int((try? reader.readUInt16()) ?? 0)
                }
            } else {
                length = Int((try? reader.readUInt32()) ?? 0)
            }
            if length == Int(DataSetParser.undefinedLength) || length > reader.remaining { return bytes.count }
            try? reader.skip(length)
            if reader.position == before { break }
        }
        return reader.position
    }

    /// Guesses the encoding of a data set from its first element, as DCMTK does for files without meta information.
    static func guessSyntax(_ bytes: [UInt8], at start: Int) -> TransferSyntax? {
        guard bytes.count - start >= 8 else { return nil }
        let b = { (i: Int) in bytes[start + i] }
        let groupLE = UInt16(b(0)) | UInt16(b(1)) << 8
        let groupBE = UInt16(b(0)) << 8 | UInt16(b(1))
        let explicit = VR(b(4), b(5)) != nil
        let plausible = { (g: UInt16) in g >= 0x0000 && g <= 0x0028 && g & 1 == 0 || g == 0x7FE0 }
        if explicit {
            if plausible(groupLE) && groupLE != 0 || groupLE == 0 && groupBE == 0 { return .explicitVRLittleEndian }
            if plausible(groupBE) { return .explicitVRBigEndian }
            // A data set may start at any group (an extract, a fragment): an even group with a VR and a short
            // length that fits the input is explicit little endian all the same.
            let shortLength = Int(b(6)) | Int(b(7)) << 8
            if groupLE & 1 == 0, groupLE <= 0x7FE0, let vr = VR(b(4), b(5)),
               vr.hasLongExplicitLength || shortLength <= bytes.count - start - 8 {
                return .explicitVRLittleEndian
            }
            return nil
        }
        guard plausible(groupLE) else { return nil }
        let length = UInt32(b(4)) | UInt32(b(5)) << 8 | UInt32(b(6)) << 16 | UInt32(b(7)) << 24
        guard length == DataSetParser.undefinedLength || Int(length) <= bytes.count - start - 8 else { return nil }
        return .implicitVRLittleEndian
    }
}
