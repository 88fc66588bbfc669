/// A DICOM file or data set as read: the file meta information (PS3.10 §7.1), the data set, and how it was encoded.
public struct DICOMFile: Sendable, Equatable {
    /// Group 0002 elements; empty for a raw data set without meta header.
    public var fileMetaInformation: DataSet
    public var dataSet: DataSet
    /// The transfer syntax the data set was actually read with (declared, or guessed when undeclared or wrong).
    public var transferSyntax: TransferSyntax
    /// The 128-byte preamble and `DICM` prefix were present.
    public var hasPreamble: Bool
    /// Where the top-level Pixel Data element was met, whatever the pixel data handling.
    public var pixelData: PixelDataLocation?

    public init(fileMetaInformation: DataSet = DataSet(), dataSet: DataSet, transferSyntax: TransferSyntax,
                hasPreamble: Bool = true, pixelData: PixelDataLocation? = nil) {
        self.fileMetaInformation = fileMetaInformation
        self.dataSet = dataSet
        self.transferSyntax = transferSyntax
        self.hasPreamble = hasPreamble
        self.pixelData = pixelData
    }
}

/// Where Pixel Data (7FE0,0010) sits in the input.
public struct PixelDataLocation: Sendable, Equatable {
    /// Offset of the element's tag.
    public var elementOffset: Int
    /// Offset of the first byte of its value.
    public var valueOffset: Int
    /// Value length; nil for undefined length (encapsulated pixel data).
    public var length: Int?
    public var vr: VR
    /// Offsets count in the inflated bytes of a deflated data set, not in the file.
    public var isInInflatedData: Bool
}

/// What the reader does on meeting the top-level Pixel Data element.
public enum PixelDataHandling: Sendable {
    /// Read it like any other element.
    case load
    /// Note where it is, skip its value, and go on reading the elements after it.
    case skip
    /// Note where it is and stop: a header-only read that never touches pixel bytes.
    case stop
}

/// Options of `DICOMFile.read`.
public struct ReadOptions: Sendable {
    public var pixelData: PixelDataHandling
    public var limits: ParseLimits

    public init(pixelData: PixelDataHandling = .load, limits: ParseLimits = .default) {
        self.pixelData = pixelData
        self.limits = limits
    }

    /// Header only: stop before pixel data.
    public static let headerOnly = ReadOptions(pixelData: .stop)
}
