import Foundation

/// Writes data sets and Part 10 files (PS3.10 §7) in any transfer syntax whose pixel data it already holds.
public struct DICOMWriter: Sendable {
    public var options: WriteOptions

    public init(options: WriteOptions = WriteOptions()) {
        self.options = options
    }

    /// The data set alone (no preamble, no meta group) as `syntax` encodes it, deflated when the syntax says so.
    public func serialize(_ dataSet: DataSet, transferSyntax syntax: TransferSyntax) throws(DICOMError) -> [UInt8] {
        var encoder = DataSetEncoder(syntax: syntax, options: options, capacity: Self.estimatedSize(dataSet))
        try encoder.encodeTopLevel(dataSet)
        guard syntax.isDeflated else { return encoder.out.bytes }
        return try Inflate.deflateRaw(encoder.out.bytes, level: options.deflateLevel)
    }

    /// A Part 10 file: 128-byte zero preamble, `DICM`, the meta group (explicit VR little endian, with its group
    /// length), then the data set in `syntax` (default: the one the file was read with).
    public func serialize(_ file: DICOMFile, transferSyntax syntax: TransferSyntax? = nil) throws(DICOMError) -> [UInt8] {
        let syntax = syntax ?? file.transferSyntax
        let meta = try fileMetaInformation(for: file.dataSet, transferSyntax: syntax, existing: file.fileMetaInformation)
        // Group 0002 belongs to the meta group only (PS3.10 §7.1); copies left in the data set would be misread as meta.
        var dataSet = file.dataSet
        dataSet.removeAll { $0.tag.group == 0x0002 }

        var encoder = DataSetEncoder(syntax: .explicitVRLittleEndian, options: options)
        encoder.out.append([UInt8](repeating: 0, count: 128) + Array("DICM".utf8))
        try encoder.encodeGroupWithLength(group: 0x0002, meta.elements.filter { !$0.tag.isGroupLength })
        var out = encoder.out.bytes
        out.append(contentsOf: try serialize(dataSet, transferSyntax: syntax))
        return out
    }

    /// Writes a Part 10 file to `path` atomically (a temporary file renamed over the destination).
    public func write(_ file: DICOMFile, to path: String, transferSyntax syntax: TransferSyntax? = nil) throws(DICOMError) {
        let bytes = try serialize(file, transferSyntax: syntax)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DICOMError(.ioError, "Cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// A rough size of the encoding, so the output buffer grows at most a few times.
    private static func estimatedSize(_ dataSet: DataSet) -> Int {
        dataSet.elements.reduce(0) { $0 + 12 + $1.valueLength }
    }
}

extension DataSet {
    /// This data set (without meta group) encoded in `transferSyntax`.
    public func serialized(transferSyntax: TransferSyntax,
                           options: WriteOptions = WriteOptions()) throws(DICOMError) -> [UInt8] {
        try DICOMWriter(options: options).serialize(self, transferSyntax: transferSyntax)
    }
}

extension DICOMFile {
    /// This file as Part 10 bytes, in `transferSyntax` (default: the one it was read with), with a fresh meta group.
    public func serialized(transferSyntax: TransferSyntax? = nil,
                           options: WriteOptions = WriteOptions()) throws(DICOMError) -> [UInt8] {
        try DICOMWriter(options: options).serialize(self, transferSyntax: transferSyntax)
    }

    /// Writes this file to `path` as Part 10 (atomically).
    public func write(to path: String, transferSyntax: TransferSyntax? = nil,
                      options: WriteOptions = WriteOptions()) throws(DICOMError) {
        try DICOMWriter(options: options).write(self, to: path, transferSyntax: transferSyntax)
    }
}
