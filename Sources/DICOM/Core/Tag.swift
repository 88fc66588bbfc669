/// A data element tag (group, element), PS3.5 §7.1.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tag as one 32-bit number, group in the high half.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(_ group: UInt16, _ element: UInt16) {
        rawValue = UInt32(group) << 16 | UInt32(element)
    }

    public var group: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }
    public var element: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    /// Odd groups (other than 0001, 0003, 0005, 0007, FFFF) hold private data elements, PS3.5 §7.8.
    public var isPrivate: Bool { group & 1 == 1 && group > 0x0007 && group != 0xFFFF }
    /// A private creator element (gggg,0010-00FF) of a private group.
    public var isPrivateCreator: Bool { isPrivate && element >= 0x0010 && element <= 0x00FF }
    /// Group length elements (gggg,0000), retired outside the command and meta groups.
    public var isGroupLength: Bool { element == 0 }
    /// The private creator slot (gggg,00xx) that reserves this private element.
    public var privateCreatorTag: Tag? {
        guard isPrivate, element > 0x00FF else { return nil }
        return Tag(group, element >> 8)
    }

    public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Orthanc's rendering: lower-case `gggg,eeee`.
    public var description: String { hex(separator: ",") }

    /// Lower-case hexadecimal group and element joined by `separator` (Orthanc uses "," in JSON and "-" in URLs).
    public func hex(separator: String = ",", uppercase: Bool = false) -> String {
        Tag.hex4(group, uppercase) + separator + Tag.hex4(element, uppercase)
    }

    /// Parses `gggg,eeee`, `gggg-eeee`, `(gggg,eeee)` or `ggggeeee` (hexadecimal, any case).
    public init?(parsing text: some StringProtocol) {
        var digits = Substring(text)
        if digits.hasPrefix("(") && digits.hasSuffix(")") { digits = digits.dropFirst().dropLast() }
        let compact = digits.filter { $0 != "," && $0 != "-" && $0 != "|" }
        guard compact.count == 8, digits.count == 8 || digits.count == 9,
              compact.allSatisfy(\.isHexDigit), let value = UInt32(compact, radix: 16) else { return nil }
        if digits.count == 9 {
            let sep = digits[digits.index(digits.startIndex, offsetBy: 4)]
            guard sep == "," || sep == "-" || sep == "|" else { return nil }
        }
        rawValue = value
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let hexDigitsUpper = Array("0123456789ABCDEF".utf8)

    private static func hex4(_ v: UInt16, _ uppercase: Bool) -> String {
        let table = uppercase ? hexDigitsUpper : hexDigits
        let bytes = [table[Int(v >> 12)], table[Int(v >> 8 & 0xF)], table[Int(v >> 4 & 0xF)], table[Int(v & 0xF)]]
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Tag {
    // Delimitation tags of PS3.5 §7.5; they have no VR.
    public static let item = Tag(0xFFFE, 0xE000)
    public static let itemDelimitationItem = Tag(0xFFFE, 0xE00D)
    public static let sequenceDelimitationItem = Tag(0xFFFE, 0xE0DD)

    // Tags the library itself relies on.
    public static let fileMetaInformationGroupLength = Tag(0x0002, 0x0000)
    public static let fileMetaInformationVersion = Tag(0x0002, 0x0001)
    public static let mediaStorageSOPClassUID = Tag(0x0002, 0x0002)
    public static let mediaStorageSOPInstanceUID = Tag(0x0002, 0x0003)
    public static let transferSyntaxUID = Tag(0x0002, 0x0010)
    public static let implementationClassUID = Tag(0x0002, 0x0012)
    public static let implementationVersionName = Tag(0x0002, 0x0013)
    public static let sourceApplicationEntityTitle = Tag(0x0002, 0x0016)
    public static let specificCharacterSet = Tag(0x0008, 0x0005)
    public static let sopClassUID = Tag(0x0008, 0x0016)
    public static let sopInstanceUID = Tag(0x0008, 0x0018)
    public static let studyDate = Tag(0x0008, 0x0020)
    public static let modality = Tag(0x0008, 0x0060)
    public static let patientName = Tag(0x0010, 0x0010)
    public static let patientID = Tag(0x0010, 0x0020)
    public static let studyInstanceUID = Tag(0x0020, 0x000D)
    public static let seriesInstanceUID = Tag(0x0020, 0x000E)
    public static let numberOfFrames = Tag(0x0028, 0x0008)
    public static let bitsAllocated = Tag(0x0028, 0x0100)
    public static let pixelRepresentation = Tag(0x0028, 0x0103)
    public static let extendedOffsetTable = Tag(0x7FE0, 0x0001)
    public static let extendedOffsetTableLengths = Tag(0x7FE0, 0x0002)
    public static let pixelData = Tag(0x7FE0, 0x0010)
    public static let floatPixelData = Tag(0x7FE0, 0x0008)
    public static let doubleFloatPixelData = Tag(0x7FE0, 0x0009)
    public static let dataSetTrailingPadding = Tag(0xFFFC, 0xFFFC)
}
