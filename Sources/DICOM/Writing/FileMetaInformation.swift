extension DICOMWriter {
    /// Meta elements that describe the data set or this writer, and so are always rebuilt rather than copied.
    private static let rebuiltMetaTags: Set<Tag> = [
        .fileMetaInformationGroupLength, .fileMetaInformationVersion, .mediaStorageSOPClassUID,
        .mediaStorageSOPInstanceUID, .transferSyntaxUID, .implementationClassUID, .implementationVersionName,
    ]

    /// The file meta group (PS3.10 §7.1) for `dataSet` written in `syntax`, without its group length (computed when
    /// encoded). SOP class and instance come from the data set (else from `existing`); the implementation is
    /// Pharos; other elements of `existing` (source and sending AE titles, private information) are kept.
    public func fileMetaInformation(for dataSet: DataSet, transferSyntax syntax: TransferSyntax,
                                    existing: DataSet = DataSet()) throws(DICOMError) -> DataSet {
        func uid(_ main: Tag, _ meta: Tag, _ name: String) throws(DICOMError) -> String {
            if let value = dataSet.string(main), !value.isEmpty { return value }
            if let value = existing.string(meta), !value.isEmpty { return value }
            throw DICOMError(.writeFailed, "Cannot write a DICOM file: the data set has no \(name) "
                             + "(\(main.hex(separator: ",", uppercase: true))), which the file meta information requires",
                             tag: main)
        }
        var meta = DataSet()
        for element in existing where element.tag.group == 0x0002 && !Self.rebuiltMetaTags.contains(element.tag) {
            meta.set(element)
        }
        meta.set(DataElement(tag: .fileMetaInformationVersion, vr: .OB, bytes: [0x00, 0x01]))
        meta.set(.string(.mediaStorageSOPClassUID, .UI, try uid(.sopClassUID, .mediaStorageSOPClassUID, "SOP Class UID")))
        meta.set(.string(.mediaStorageSOPInstanceUID, .UI,
                         try uid(.sopInstanceUID, .mediaStorageSOPInstanceUID, "SOP Instance UID")))
        meta.set(.string(.transferSyntaxUID, .UI, syntax.uid))
        meta.set(.string(.implementationClassUID, .UI, Pharos.implementationClassUID))
        meta.set(.string(.implementationVersionName, .SH, Pharos.implementationVersionName))
        if let aet = options.sourceApplicationEntityTitle {
            meta.set(.string(.sourceApplicationEntityTitle, .AE, aet))
        }
        return meta
    }
}
