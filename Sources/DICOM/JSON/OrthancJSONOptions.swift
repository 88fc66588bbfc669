/// How `DataSet.orthancJSON` renders a data set: which of Orthanc's three formats, and the rules Orthanc 1.10.1
/// applies on its `/instances/{id}/tags` and `/header` routes.
public struct OrthancJSONOptions: Sendable {
    /// Orthanc's three JSON renderings of a data set.
    public enum Format: Sendable, Equatable {
        /// `{"0010,0010": {"Name": "PatientName", "Type": "String", "Value": "…"}}` (`/tags`).
        case full
        /// `{"0010,0010": "…"}` (`/tags?short`).
        case short
        /// `{"PatientName": "…"}` (`/tags?simplify`, `/simplified-tags`); later duplicate names win.
        case simplified
    }

    /// What a binary value (OB, OW, OF, UN, …) becomes.
    public enum BinaryRendering: Sendable, Equatable {
        /// Type "Null" / JSON null, as `/tags` does.
        case null
        /// Type "Binary" with a `data:application/octet-stream;base64,…` URI.
        case dataURI
    }

    public var format: Format
    /// Values whose UTF-8 text is longer than this many bytes become "TooLong" (null in the short and simplified
    /// formats); 0 means no limit. Orthanc's `/tags` uses 256.
    public var maxStringLength: Int
    /// Tags exempt from `maxStringLength` (Orthanc's `ignore-length` argument).
    public var ignoreLengthTags: Set<Tag>
    /// The character set of a data set without (0008,0005): Orthanc's `DefaultEncoding`, Latin-1 unless configured.
    public var defaultCharacterSet: SpecificCharacterSet
    /// The data set was read with implicit VR: elements whose dictionary VR is ambiguous (DCMTK's `xs`: US or
    /// SS) are rendered null unless Pixel Representation settles them, as DCMTK leaves them for Orthanc.
    public var readWithImplicitVR: Bool
    /// Leaves out top-level elements after Pixel Data (7FE0,0010).
    public var stopAfterPixelData: Bool
    public var includePrivateTags: Bool
    /// Includes elements that neither the public nor the private dictionary knows.
    public var includeUnknownTags: Bool
    /// Includes binary elements other than Pixel Data (otherwise they are left out entirely).
    public var includeBinary: Bool
    public var includePixelData: Bool
    public var binary: BinaryRendering
    /// Reads every string as ASCII, dropping other bytes (Orthanc does so for the file meta information).
    public var asciiOnly: Bool

    public init(format: Format = .full, maxStringLength: Int = 256, ignoreLengthTags: Set<Tag> = [],
                defaultCharacterSet: SpecificCharacterSet = SpecificCharacterSet(terms: ["ISO_IR 100"]),
                readWithImplicitVR: Bool = false, stopAfterPixelData: Bool = true,
                includePrivateTags: Bool = true, includeUnknownTags: Bool = true,
                includeBinary: Bool = true, includePixelData: Bool = true,
                binary: BinaryRendering = .null, asciiOnly: Bool = false) {
        self.format = format
        self.maxStringLength = maxStringLength
        self.ignoreLengthTags = ignoreLengthTags
        self.defaultCharacterSet = defaultCharacterSet
        self.readWithImplicitVR = readWithImplicitVR
        self.stopAfterPixelData = stopAfterPixelData
        self.includePrivateTags = includePrivateTags
        self.includeUnknownTags = includeUnknownTags
        self.includeBinary = includeBinary
        self.includePixelData = includePixelData
        self.binary = binary
        self.asciiOnly = asciiOnly
    }

    /// What `/instances/{id}/tags` answers (in `format`).
    public static func tags(_ format: Format = .full) -> OrthancJSONOptions {
        OrthancJSONOptions(format: format)
    }

    /// What `/instances/{id}/header` answers for the file meta information: ASCII, no binary, private or unknown
    /// elements, no length limit.
    public static func header(_ format: Format = .full) -> OrthancJSONOptions {
        OrthancJSONOptions(format: format, maxStringLength: 0, stopAfterPixelData: false, includePrivateTags: false,
                           includeUnknownTags: false, includeBinary: false, includePixelData: false, asciiOnly: true)
    }
}
