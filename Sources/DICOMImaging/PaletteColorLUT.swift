import DICOM

/// Red, green and blue lookup tables of a PALETTE COLOR image (PS3.3 §C.7.6.3.1.5-6), plain or segmented
/// (§C.7.9.2), 8- or 16-bit entries, kept as 16-bit values.
public struct PaletteColorLUT: Sendable, Equatable {
    /// Stored value mapped to the first entry.
    public var firstMapped: Int
    /// Bits per entry as declared (8 or 16).
    public var bitsPerEntry: Int
    public var red: [UInt16]
    public var green: [UInt16]
    public var blue: [UInt16]

    static let maxEntries = 65536

    public init(dataSet: DataSet) throws(ImagingError) {
        var tables: [[UInt16]] = []
        var first = 0, bits = 16
        for (i, name) in ["Red", "Green", "Blue"].enumerated() {
            let element = UInt16(i)
            guard let descriptor = dataSet[Tag(0x0028, 0x1101 + element)], descriptor.bytes.count >= 6 else {
                throw ImagingError(.corrupt, "\(name) Palette Color Lookup Table Descriptor is missing")
            }
            let d = descriptor.bytes
            let word = { (k: Int) -> Int in Int(UInt16(d[2 * k]) | UInt16(d[2 * k + 1]) << 8) }
            let count = word(0) == 0 ? 65536 : word(0)
            // The first mapped value is US or SS depending on Pixel Representation.
            first = descriptor.vr == .SS ? Int(Int16(bitPattern: UInt16(word(1)))) : word(1)
            bits = word(2)
            guard bits == 8 || bits == 16 else {
                throw ImagingError(.corrupt, "\(name) palette entries of \(bits) bits (8 or 16 expected)")
            }
            var table: [UInt16]
            if let data = dataSet[Tag(0x0028, 0x1201 + element)]?.bytes, !data.isEmpty {
                table = Self.entries(data, count: count, bits: bits)
            } else if let segmented = dataSet[Tag(0x0028, 0x1221 + element)]?.bytes, !segmented.isEmpty {
                table = try Self.expandSegmented(Self.words(segmented), limit: Self.maxEntries)
                if bits == 8 { table = table.map { $0 & 0xFF } }
            } else {
                throw ImagingError(.corrupt, "\(name) Palette Color Lookup Table Data is missing")
            }
            guard !table.isEmpty else { throw ImagingError(.corrupt, "\(name) palette is empty") }
            tables.append(table)
        }
        firstMapped = first
        bitsPerEntry = bits
        red = tables[0]
        green = tables[1]
        blue = tables[2]
    }

    private static func words(_ bytes: [UInt8]) -> [UInt16] {
        (0 ..< bytes.count / 2).map { UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8 }
    }

    /// 16-bit entries one per word; 8-bit entries one per byte, or one per word when the writer padded them.
    private static func entries(_ data: [UInt8], count: Int, bits: Int) -> [UInt16] {
        if bits == 16 || data.count == count * 2 {
            let w = words(data)
            return bits == 8 ? w.map { $0 > 0xFF ? $0 >> 8 : $0 } : w
        }
        return data.map { UInt16($0) }
    }

    /// Segment types: 0 discrete (n values), 1 linear (ramp to a value over n entries), 2 indirect (repeat n
    /// earlier segments found at a word offset).
    static func expandSegmented(_ words: [UInt16], limit: Int, from begin: Int = 0, segments: Int = .max,
                                seed: UInt16? = nil, depth: Int = 0) throws(ImagingError) -> [UInt16] {
        guard depth < 2 else { throw ImagingError(.corrupt, "segmented palette has nested indirect segments") }
        var out: [UInt16] = []
        var i = begin
        // Word offsets of each segment, for indirect segments.
        var segmentStarts: [Int] = []
        while i + 1 < words.count, segmentStarts.count < segments {
            segmentStarts.append(i)
            let opcode = words[i], length = Int(words[i + 1])
            switch opcode {
            case 0:
                guard i + 2 + length <= words.count else { throw ImagingError(.corrupt, "segmented palette discrete segment overruns") }
                out.append(contentsOf: words[(i + 2) ..< (i + 2 + length)])
                i += 2 + length
            case 1:
                guard i + 2 < words.count, let start = out.last ?? seed else {
                    throw ImagingError(.corrupt, "segmented palette linear segment without a starting value")
                }
                let end = Double(words[i + 2]), y0 = Double(start)
                for k in 1 ... max(length, 1) where length > 0 {
                    out.append(UInt16((y0 + (end - y0) * Double(k) / Double(length)).rounded()))
                }
                i += 3
            case 2:
                guard i + 3 < words.count else { throw ImagingError(.corrupt, "segmented palette indirect segment overruns") }
                // The offset counts bytes from the start of the table.
                let offset = (Int(words[i + 2]) | Int(words[i + 3]) << 16) / 2
                guard offset < i else { throw ImagingError(.corrupt, "segmented palette indirect segment points forward") }
                let copied = try expandSegmented(words, limit: limit, from: offset, segments: length, seed: out.last,
                                                 depth: depth + 1)
                out.append(contentsOf: copied)
                i += 4
            default:
                throw ImagingError(.corrupt, "segmented palette has an unknown segment type \(opcode)")
            }
            guard out.count <= limit else { throw ImagingError(.corrupt, "segmented palette expands past \(limit) entries") }
        }
        return out
    }

    /// The 8-bit red, green, blue of a stored value (clamped to the table's ends).
    @inlinable func rgb8(_ value: Int64) -> (UInt8, UInt8, UInt8) {
        let index = Int(max(0, min(Int64(red.count - 1), value - Int64(firstMapped))))
        let shift: UInt16 = bitsPerEntry == 16 ? 8 : 0
        func at(_ t: [UInt16]) -> UInt8 { UInt8(truncatingIfNeeded: t[min(index, t.count - 1)] >> shift) }
        return (at(red), at(green), at(blue))
    }
}
