extension DataSet {
    /// Reads a bare data set (no preamble, no file meta group) encoded in `transferSyntax`, as DIMSE carries it.
    public static func read(bytes: [UInt8], transferSyntax: TransferSyntax,
                            options: ReadOptions = ReadOptions()) throws(DICOMError) -> DataSet {
        if bytes.isEmpty { return DataSet() }
        var data = bytes
        if transferSyntax.isDeflated {
            data = try Inflate.raw(bytes, from: 0, limit: options.limits.maxInflatedSize)
        }
        var parser = DataSetParser(reader: ByteReader(data, start: 0, bigEndian: transferSyntax.isBigEndian),
                                   explicitVR: transferSyntax.isExplicitVR, options: options,
                                   inflated: transferSyntax.isDeflated)
        return try parser.parseTopLevel()
    }
}
