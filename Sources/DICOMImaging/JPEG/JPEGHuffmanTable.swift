/// A Huffman table from a DHT segment (T.81 B.2.4.2, Annex C), with a lookahead table for short codes.
struct JPEGHuffmanTable: Sendable {
    /// Codes up to this length resolve with one table lookup.
    static let lookaheadBits = 9

    /// Indexed by the next `lookaheadBits` bits: `length << 8 | symbol`, 0 when the code is longer.
    var lookahead: [UInt16]
    /// Largest code of each length 1...16 (index 1...16), -1 when none; index 17 is a sentinel.
    var maxCode: [Int32]
    /// For each length: index into `symbols` of its first code, minus that code.
    var valueOffset: [Int32]
    var symbols: [UInt8]

    /// Builds the table from the 16 code-length counts and the symbols in code order.
    init(counts: [UInt8], symbols: [UInt8]) throws(JPEGError) {
        precondition(counts.count == 16)
        self.symbols = symbols
        lookahead = [UInt16](repeating: 0, count: 1 << Self.lookaheadBits)
        maxCode = [Int32](repeating: -1, count: 18)
        valueOffset = [Int32](repeating: 0, count: 18)
        var code = 0
        var k = 0
        for length in 1...16 {
            let n = Int(counts[length - 1])
            valueOffset[length] = Int32(k - code)
            if n > 0 {
                // Canonical codes must fit in `length` bits (T.81 C.2); a table that overflows is corrupt.
                guard code + n <= 1 << length else { throw JPEGError("Huffman table has too many codes of length \(length)") }
                if length <= Self.lookaheadBits {
                    for i in 0..<n {
                        let shift = Self.lookaheadBits - length
                        let first = (code + i) << shift
                        let entry = UInt16(length) << 8 | UInt16(symbols[k + i])
                        for j in 0..<(1 << shift) { lookahead[first + j] = entry }
                    }
                }
                code += n
                k += n
                maxCode[length] = Int32(code - 1)
            }
            code <<= 1
        }
        maxCode[17] = Int32.max
    }
}
