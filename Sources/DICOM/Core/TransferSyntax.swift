/// A transfer syntax (PS3.5 §10): how a data set is encoded.
public struct TransferSyntax: Sendable, Hashable, CustomStringConvertible {
    public let uid: String
    public let name: String
    public let isExplicitVR: Bool
    public let isBigEndian: Bool
    public let isDeflated: Bool
    /// Pixel data is encapsulated in fragments (PS3.5 §A.4).
    public let isEncapsulated: Bool
    public let isLossy: Bool
    public let isRetired: Bool

    public init(uid: String, name: String, isExplicitVR: Bool = true, isBigEndian: Bool = false,
                isDeflated: Bool = false, isEncapsulated: Bool = false, isLossy: Bool = false, isRetired: Bool = false) {
        self.uid = uid
        self.name = name
        self.isExplicitVR = isExplicitVR
        self.isBigEndian = isBigEndian
        self.isDeflated = isDeflated
        self.isEncapsulated = isEncapsulated
        self.isLossy = isLossy
        self.isRetired = isRetired
    }

    public var description: String { "\(name) (\(uid))" }

    public static let implicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian",
                                                              isExplicitVR: false)
    public static let explicitVRLittleEndian = TransferSyntax(uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian")
    public static let encapsulatedUncompressed = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.98", name: "Encapsulated Uncompressed Explicit VR Little Endian", isEncapsulated: true)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.99", name: "Deflated Explicit VR Little Endian", isDeflated: true)
    public static let explicitVRBigEndian = TransferSyntax(uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian",
                                                           isBigEndian: true, isRetired: true)
    public static let jpegBaseline = encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", lossy: true)
    public static let jpegExtended = encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", lossy: true)
    public static let jpegLossless = encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)")
    public static let jpegLosslessSV1 = encapsulated(
        "1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])")
    public static let jpegLSLossless = encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression")
    public static let jpegLSNearLossless = encapsulated(
        "1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", lossy: true)
    public static let jpeg2000Lossless = encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)")
    public static let jpeg2000 = encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", lossy: true)
    public static let rleLossless = encapsulated("1.2.840.10008.1.2.5", "RLE Lossless")

    private static func encapsulated(_ uid: String, _ name: String, lossy: Bool = false,
                                     retired: Bool = false) -> TransferSyntax {
        TransferSyntax(uid: uid, name: name, isEncapsulated: true, isLossy: lossy, isRetired: retired)
    }

    /// Every transfer syntax this library knows by UID.
    public static let known: [TransferSyntax] = [
        implicitVRLittleEndian, explicitVRLittleEndian, encapsulatedUncompressed, deflatedExplicitVRLittleEndian,
        explicitVRBigEndian, jpegBaseline, jpegExtended, jpegLossless, jpegLosslessSV1, jpegLSLossless,
        jpegLSNearLossless, jpeg2000Lossless, jpeg2000, rleLossless,
        encapsulated("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)", lossy: true, retired: true),
        encapsulated("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", lossy: true, retired: true),
        encapsulated("1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)", lossy: true, retired: true),
        encapsulated("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", lossy: true, retired: true),
        encapsulated("1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13)", lossy: true, retired: true),
        encapsulated("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)", retired: true),
        encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
        encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
        encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", lossy: true),
        encapsulated("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
        encapsulated("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
        encapsulated("1.2.840.10008.1.2.4.112", "JPEG XL", lossy: true),
        encapsulated("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation", retired: true),
        encapsulated("1.2.840.10008.1.2.6.2", "XML Encoding", retired: true),
        encapsulated("1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video", lossy: false),
    ]

    private static let byUID: [String: TransferSyntax] = Dictionary(known.map { ($0.uid, $0) },
                                                                    uniquingKeysWith: { a, _ in a })

    /// The transfer syntax for `uid` (trailing NUL or space padding ignored), or nil when unknown.
    public static func lookup(_ uid: String) -> TransferSyntax? {
        byUID[UID.trimmed(uid)]
    }

    /// An unknown UID is read as explicit VR little endian with encapsulated pixel data, as DCMTK does
    /// for private compressed syntaxes.
    public static func lookupOrPrivate(_ uid: String) -> TransferSyntax {
        lookup(uid) ?? TransferSyntax(uid: UID.trimmed(uid), name: "Unknown transfer syntax", isEncapsulated: true)
    }
}
