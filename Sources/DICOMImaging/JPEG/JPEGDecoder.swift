/// Decodes JPEG streams of the processes DICOM uses (PS3.5 §8.2.1, §A.4.1): baseline (process 1), extended
/// sequential 8/12-bit Huffman (processes 2 & 4) and lossless Huffman (process 14, predictors 1–7).
public enum JPEGDecoder {
    /// Decodes one complete JPEG stream (SOI … EOI) into its component samples.
    public static func decode(_ data: [UInt8]) throws(JPEGError) -> JPEGDecodedImage {
        var result: Result<JPEGDecodedImage, JPEGError> = .failure(JPEGError("no data"))
        data.withUnsafeBufferPointer { buffer in
            var decoder = JPEGStreamDecoder(data: buffer)
            do throws(JPEGError) {
                result = .success(try decoder.run())
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }
}

/// The state of one decode: tables and frame as the marker segments define them (T.81 Annex B).
struct JPEGStreamDecoder {
    let data: UnsafeBufferPointer<UInt8>
    var position = 0
    var frame: JPEGFrameHeader?
    var dcTables: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
    var acTables: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
    /// Quantization tables in zig-zag order.
    var quantizationTables: [[Int32]?] = [nil, nil, nil, nil]
    var restartInterval = 0
    var adobeTransform: Int?
    var hasJFIF = false
    /// All component planes in one buffer; plane i starts at `planeOffsets[i]` with row stride `planeStrides[i]`.
    var planes: [UInt16] = []
    var planeOffsets: [Int] = []
    var planeStrides: [Int] = []
    var decodedComponents: [Bool] = []
    var scanCount = 0

    init(data: UnsafeBufferPointer<UInt8>) {
        self.data = data
    }

    mutating func run() throws(JPEGError) -> JPEGDecodedImage {
        guard data.count >= 4, data[0] == 0xFF, data[1] == JPEGMarker.soi else {
            throw JPEGError("stream does not start with an SOI marker", offset: 0)
        }
        position = 2
        while true {
            guard let (marker, markerOffset) = nextMarker() else { break }
            switch marker {
            case JPEGMarker.eoi:
                return try finish()
            case JPEGMarker.rst0...JPEGMarker.rst7, 0x01:
                continue  // stray markers without a segment
            case JPEGMarker.soi:
                throw JPEGError("second SOI marker inside the stream", offset: markerOffset)
            default:
                break
            }
            let body = try segmentBody(markerOffset: markerOffset)
            switch marker {
            case JPEGMarker.sof0, JPEGMarker.sof1, JPEGMarker.sof3:
                guard frame == nil else { throw JPEGError("more than one frame header", offset: markerOffset) }
                try startFrame(JPEGFrameHeader(marker: marker, body: Array(data[body]), offset: markerOffset, entropyBytes: data.count))
            case JPEGMarker.dht:
                try readHuffmanTables(body)
            case JPEGMarker.dqt:
                try readQuantizationTables(body)
            case JPEGMarker.dri:
                guard body.count >= 2 else { throw JPEGError("DRI segment too short", offset: markerOffset) }
                restartInterval = Int(data[body.lowerBound]) << 8 | Int(data[body.lowerBound + 1])
            case JPEGMarker.sos:
                try decodeScan(header: body, markerOffset: markerOffset)
            case JPEGMarker.dnl, JPEGMarker.com:
                break  // DNL only repeats a height this decoder already requires in the frame header
            case JPEGMarker.app0:
                if body.count >= 5, Array(data[body.lowerBound..<body.lowerBound + 5]) == [0x4A, 0x46, 0x49, 0x46, 0] {
                    hasJFIF = true
                }
            case JPEGMarker.app14:
                if body.count >= 12, Array(data[body.lowerBound..<body.lowerBound + 5]) == [0x41, 0x64, 0x6F, 0x62, 0x65] {
                    adobeTransform = Int(data[body.lowerBound + 11])
                }
            case JPEGMarker.dac:
                throw JPEGError("arithmetic coding (DAC segment) is not supported", offset: markerOffset)
            default:
                if let process = JPEGMarker.unsupportedProcess(marker) {
                    throw JPEGError("\(process) is not supported; only baseline, extended sequential Huffman and lossless Huffman",
                                    offset: markerOffset)
                }
                // Other APPn, JPGn and reserved segments carry nothing this decoder needs.
            }
        }
        // A stream cut off after its last scan (no EOI) is still a complete image.
        return try finish()
    }

    /// Finds the next marker from `position`, skipping fill bytes and stray data; returns the code and where it starts.
    mutating func nextMarker() -> (UInt8, Int)? {
        while position + 1 < data.count {
            if data[position] == 0xFF {
                let code = data[position + 1]
                if code == 0xFF { position += 1; continue }
                if code != 0 {
                    let start = position
                    position += 2
                    return (code, start)
                }
            }
            position += 1
        }
        position = data.count
        return nil
    }

    /// The body of the segment whose marker was just read (after its length field); moves past it.
    mutating func segmentBody(markerOffset: Int) throws(JPEGError) -> Range<Int> {
        guard position + 2 <= data.count else { throw JPEGError("segment length missing at end of data", offset: markerOffset) }
        let length = Int(data[position]) << 8 | Int(data[position + 1])
        guard length >= 2 else { throw JPEGError("segment length \(length) is too small", offset: markerOffset) }
        guard position + length <= data.count else {
            throw JPEGError("segment of \(length) bytes runs past the end of the data", offset: markerOffset)
        }
        let body = position + 2..<position + length
        position += length
        return body
    }

    mutating func readHuffmanTables(_ body: Range<Int>) throws(JPEGError) {
        var p = body.lowerBound
        while p < body.upperBound {
            guard p + 17 <= body.upperBound else { throw JPEGError("DHT segment too short", offset: p) }
            let tableClass = data[p] >> 4, id = Int(data[p] & 15)
            guard tableClass <= 1, id < 4 else { throw JPEGError("DHT defines invalid table class \(tableClass) id \(id)", offset: p) }
            let counts = Array(data[p + 1..<p + 17])
            let total = counts.reduce(0) { $0 + Int($1) }
            guard total <= 256, p + 17 + total <= body.upperBound else {
                throw JPEGError("DHT table with \(total) symbols does not fit its segment", offset: p)
            }
            let table = try JPEGHuffmanTable(counts: counts, symbols: Array(data[p + 17..<p + 17 + total]))
            if tableClass == 0 { dcTables[id] = table } else { acTables[id] = table }
            p += 17 + total
        }
    }

    mutating func readQuantizationTables(_ body: Range<Int>) throws(JPEGError) {
        var p = body.lowerBound
        while p < body.upperBound {
            let wide = data[p] >> 4, id = Int(data[p] & 15)
            guard wide <= 1, id < 4 else { throw JPEGError("DQT defines invalid table (precision \(wide), id \(id))", offset: p) }
            let size = wide == 1 ? 128 : 64
            guard p + 1 + size <= body.upperBound else { throw JPEGError("DQT segment too short", offset: p) }
            var table = [Int32](repeating: 0, count: 64)
            for k in 0..<64 {
                table[k] = wide == 1 ? Int32(data[p + 1 + 2 * k]) << 8 | Int32(data[p + 2 + 2 * k]) : Int32(data[p + 1 + k])
            }
            quantizationTables[id] = table
            p += 1 + size
        }
    }

    /// Allocates the component planes once the frame header has passed its size checks.
    mutating func startFrame(_ header: JPEGFrameHeader) throws(JPEGError) {
        var offset = 0
        planeOffsets = []
        planeStrides = []
        for component in header.components {
            let stride: Int, rows: Int
            if header.isLossless {
                stride = header.width
                rows = header.height
            } else {
                stride = header.mcusAcross * component.horizontalSampling * 8
                rows = header.mcusDown * component.verticalSampling * 8
            }
            planeOffsets.append(offset)
            planeStrides.append(stride)
            offset += stride * rows
        }
        planes = [UInt16](repeating: 0, count: offset)
        decodedComponents = [Bool](repeating: false, count: header.components.count)
        frame = header
    }
}
