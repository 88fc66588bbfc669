/// Value representations of PS3.5 §6.2.
public enum VR: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    // Raw value: the two ASCII characters as they appear on the wire, first character in the high byte.
    case AE = 0x4145, AS = 0x4153, AT = 0x4154, CS = 0x4353, DA = 0x4441, DS = 0x4453, DT = 0x4454
    case FL = 0x464C, FD = 0x4644, IS = 0x4953, LO = 0x4C4F, LT = 0x4C54, OB = 0x4F42, OD = 0x4F44
    case OF = 0x4F46, OL = 0x4F4C, OV = 0x4F56, OW = 0x4F57, PN = 0x504E, SH = 0x5348, SL = 0x534C
    case SQ = 0x5351, SS = 0x5353, ST = 0x5354, SV = 0x5356, TM = 0x544D, UC = 0x5543, UI = 0x5549
    case UL = 0x554C, UN = 0x554E, UR = 0x5552, US = 0x5553, UT = 0x5554, UV = 0x5556

    /// Reads the two VR characters of an explicit VR element.
    public init?(_ first: UInt8, _ second: UInt8) {
        self.init(rawValue: UInt16(first) << 8 | UInt16(second))
    }

    /// Parses "PN", "OB" … (upper case).
    public init?(string: some StringProtocol) {
        let utf8 = Array(string.utf8)
        guard utf8.count == 2 else { return nil }
        self.init(utf8[0], utf8[1])
    }

    public var description: String {
        String(decoding: [UInt8(rawValue >> 8), UInt8(rawValue & 0xFF)], as: UTF8.self)
    }

    /// Explicit VR encodings with a 2-byte reserved field and a 4-byte length (PS3.5 §7.1.2).
    public var hasLongExplicitLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .UC, .UN, .UR, .UT, .SV, .UV: return true
        default: return false
        }
    }

    /// Character-string VRs whose value is text.
    public var isString: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: return true
        default: return false
        }
    }

    /// String VRs whose text is affected by Specific Character Set (PS3.5 §6.1.2.3).
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: return true
        default: return false
        }
    }

    /// String VRs with backslash-separated multiple values.
    public var allowsMultipleStringValues: Bool {
        isString && self != .LT && self != .ST && self != .UT && self != .UR
    }

    /// Byte used to pad odd-length values to even length.
    public var paddingByte: UInt8 { self == .UI || !isString ? 0x00 : 0x20 }

    /// Size in bytes of one binary number of this VR (used for byte swapping), or nil for bytes and strings.
    public var wordSize: Int? {
        switch self {
        case .US, .SS, .OW, .AT: return 2
        case .UL, .SL, .FL, .OF, .OL: return 4
        case .FD, .OD, .SV, .UV, .OV: return 8
        default: return nil
        }
    }

    /// Binary numeric VRs whose value is a list of numbers.
    public var isBinaryNumber: Bool {
        switch self {
        case .US, .SS, .UL, .SL, .FL, .FD, .SV, .UV, .AT: return true
        default: return false
        }
    }
}
