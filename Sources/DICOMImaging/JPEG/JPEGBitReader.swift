/// Reads entropy-coded data (T.81 F.2.2.5): removes stuffed zero bytes, stops at a marker and then supplies
/// zero bits, counting them so that a scan which reads past its data is detected.
struct JPEGBitReader {
    let data: UnsafeBufferPointer<UInt8>
    /// Next byte to load.
    var position: Int
    /// Bits not yet consumed, most significant first.
    var bits: UInt64 = 0
    var count: Int = 0
    /// Zero bits supplied after a marker or the end of the data; all are in `bits`.
    var padding: Int = 0
    var atMarker = false

    init(data: UnsafeBufferPointer<UInt8>, position: Int) {
        self.data = data
        self.position = position
    }

    /// Some bits the decoder consumed were not in the stream.
    var overrun: Bool { padding > count }

    @inline(__always)
    mutating func fill() {
        while count <= 56 {
            var byte: UInt64 = 0
            if !atMarker, position < data.count {
                let b = data[position]
                if b != 0xFF {
                    byte = UInt64(b)
                    position += 1
                } else if position + 1 < data.count, data[position + 1] == 0 {
                    byte = 0xFF
                    position += 2
                } else {
                    atMarker = true
                    padding += 8
                }
            } else {
                padding += 8
            }
            bits |= byte &<< UInt64(56 - count)
            count += 8
        }
    }

    /// Decodes one Huffman-coded symbol.
    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanLookup) throws(JPEGError) -> Int {
        if count < 16 { fill() }
        let entry = table.fast[Int(truncatingIfNeeded: bits &>> 55)]  // the top 9 bits: JPEGHuffmanTable.lookaheadBits
        if entry != 0 {
            let length = Int(entry >> 8)
            bits &<<= UInt64(length)
            count -= length
            return Int(entry & 0xFF)
        }
        return try decodeLong(table)
    }

    /// Codes longer than the lookahead (T.81 F.2.2.3).
    mutating func decodeLong(_ table: JPEGHuffmanLookup) throws(JPEGError) -> Int {
        let peek = Int32(truncatingIfNeeded: bits &>> 48)
        var length = JPEGHuffmanTable.lookaheadBits + 1
        while length <= 16 {
            let code = peek >> Int32(16 - length)
            if code <= table.maxCode[length] {
                let index = Int(table.valueOffset[length] + code)
                guard index >= 0, index < table.symbolCount else { break }
                bits &<<= UInt64(length)
                count -= length
                return Int(table.symbols[index])
            }
            length += 1
        }
        throw JPEGError("invalid Huffman code in entropy-coded data", offset: position)
    }

    /// Reads `n` (0...16) raw bits.
    @inline(__always)
    mutating func receive(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { fill() }
        let value = Int(truncatingIfNeeded: bits &>> UInt64(64 - n))
        bits &<<= UInt64(n)
        count -= n
        return value
    }

    /// Reads `n` bits and sign-extends them as a coefficient or difference of category `n` (T.81 F.2.2.1).
    @inline(__always)
    mutating func receiveExtend(_ n: Int) -> Int {
        if n == 0 { return 0 }
        let v = receive(n)
        return v < 1 &<< (n &- 1) ? v &- (1 &<< n) &+ 1 : v
    }

    /// Drops buffered bits and moves to the next marker, skipping any data the decoder did not need.
    mutating func alignToMarker() throws(JPEGError) {
        if overrun { throw JPEGError("entropy-coded data ends early (truncated or corrupt)", offset: position) }
        bits = 0
        count = 0
        padding = 0
        atMarker = false
        while position < data.count {
            if data[position] == 0xFF, position + 1 < data.count {
                let next = data[position + 1]
                if next == 0xFF { position += 1; continue }      // fill byte before a marker
                if next != 0 { return }
                position += 2
            } else {
                position += 1
            }
        }
    }

    /// Consumes the RSTn marker expected between restart intervals (T.81 F.2.2.5), resynchronising on it.
    mutating func restart() throws(JPEGError) {
        try alignToMarker()
        guard position + 1 < data.count else { throw JPEGError("data ends where a restart marker was expected", offset: position) }
        let marker = data[position + 1]
        guard marker >= JPEGMarker.rst0, marker <= JPEGMarker.rst7 else {
            throw JPEGError("restart marker expected, found \(JPEGMarker.name(marker))", offset: position)
        }
        position += 2
    }
}
