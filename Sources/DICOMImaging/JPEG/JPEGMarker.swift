/// Marker codes of ITU-T T.81 Table B.1 (the byte after 0xFF).
enum JPEGMarker {
    static let sof0: UInt8 = 0xC0  // baseline DCT
    static let sof1: UInt8 = 0xC1  // extended sequential DCT, Huffman
    static let sof2: UInt8 = 0xC2  // progressive DCT
    static let sof3: UInt8 = 0xC3  // lossless, Huffman
    static let dht: UInt8 = 0xC4
    static let dac: UInt8 = 0xCC
    static let rst0: UInt8 = 0xD0
    static let rst7: UInt8 = 0xD7
    static let soi: UInt8 = 0xD8
    static let eoi: UInt8 = 0xD9
    static let sos: UInt8 = 0xDA
    static let dqt: UInt8 = 0xDB
    static let dnl: UInt8 = 0xDC
    static let dri: UInt8 = 0xDD
    static let app0: UInt8 = 0xE0
    static let app14: UInt8 = 0xEE
    static let com: UInt8 = 0xFE

    /// "0xFFxx" for messages.
    static func name(_ marker: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0xFF" + String(digits[Int(marker >> 4)]) + String(digits[Int(marker & 15)])
    }

    /// The SOF markers this decoder does not implement, with the process they introduce.
    static func unsupportedProcess(_ marker: UInt8) -> String? {
        switch marker {
        case 0xC2: return "progressive DCT (SOF2)"
        case 0xC5, 0xC6, 0xC7: return "hierarchical (SOF\(marker - 0xC0))"
        case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF: return "arithmetic coding (SOF\(marker - 0xC0))"
        default: return nil
        }
    }
}
