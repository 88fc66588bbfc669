import Foundation

/// Photometric Interpretation (0028,0004), PS3.3 §C.7.6.3.1.2: how samples are to be read as colour.
public enum PhotometricInterpretation: Sendable, Hashable, CustomStringConvertible {
    case monochrome1
    case monochrome2
    case paletteColor
    case rgb
    case ybrFull
    case ybrFull422
    case ybrPartial420
    case ybrICT
    case ybrRCT
    case other(String)

    public init(_ text: String) {
        switch text.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) {
        case "MONOCHROME1": self = .monochrome1
        case "MONOCHROME2": self = .monochrome2
        case "PALETTE COLOR": self = .paletteColor
        case "RGB": self = .rgb
        case "YBR_FULL": self = .ybrFull
        case "YBR_FULL_422": self = .ybrFull422
        case "YBR_PARTIAL_420": self = .ybrPartial420
        case "YBR_ICT": self = .ybrICT
        case "YBR_RCT": self = .ybrRCT
        case let other: self = .other(other)
        }
    }

    /// The defined term as written in the data set.
    public var description: String {
        switch self {
        case .monochrome1: return "MONOCHROME1"
        case .monochrome2: return "MONOCHROME2"
        case .paletteColor: return "PALETTE COLOR"
        case .rgb: return "RGB"
        case .ybrFull: return "YBR_FULL"
        case .ybrFull422: return "YBR_FULL_422"
        case .ybrPartial420: return "YBR_PARTIAL_420"
        case .ybrICT: return "YBR_ICT"
        case .ybrRCT: return "YBR_RCT"
        case .other(let text): return text
        }
    }

    public var isMonochrome: Bool { self == .monochrome1 || self == .monochrome2 }
}
