/// One component of a scan header (T.81 B.2.3): which frame component and which Huffman tables.
struct JPEGScanComponent {
    var frameIndex: Int
    var dcTable: JPEGHuffmanTable
    var acTable: JPEGHuffmanTable?
}

extension JPEGStreamDecoder {
    /// Parses an SOS header and decodes the entropy-coded segment that follows it.
    mutating func decodeScan(header body: Range<Int>, markerOffset: Int) throws(JPEGError) {
        guard let frame else { throw JPEGError("scan before any frame header", offset: markerOffset) }
        guard body.count >= 1 else { throw JPEGError("SOS segment too short", offset: markerOffset) }
        let count = Int(data[body.lowerBound])
        guard count >= 1, count <= 4, body.count >= 4 + 2 * count else {
            throw JPEGError("SOS segment with \(count) components is malformed", offset: markerOffset)
        }
        var components: [JPEGScanComponent] = []
        for i in 0..<count {
            let id = data[body.lowerBound + 1 + 2 * i]
            let tables = data[body.lowerBound + 2 + 2 * i]
            guard let index = frame.components.firstIndex(where: { $0.id == id }) else {
                throw JPEGError("scan refers to component \(id), which the frame does not have", offset: markerOffset)
            }
            guard !decodedComponents[index], !components.contains(where: { $0.frameIndex == index }) else {
                throw JPEGError("component \(id) is coded in more than one scan (progressive?)", offset: markerOffset)
            }
            let dc = Int(tables >> 4), ac = Int(tables & 15)
            guard dc < 4, let dcTable = dcTables[dc] else {
                throw JPEGError("scan uses DC/lossless Huffman table \(dc), which is not defined", offset: markerOffset)
            }
            var acTable: JPEGHuffmanTable?
            if !frame.isLossless {
                guard ac < 4, let table = acTables[ac] else {
                    throw JPEGError("scan uses AC Huffman table \(ac), which is not defined", offset: markerOffset)
                }
                acTable = table
            }
            components.append(JPEGScanComponent(frameIndex: index, dcTable: dcTable, acTable: acTable))
        }
        let tail = body.lowerBound + 1 + 2 * count
        let ss = Int(data[tail]), se = Int(data[tail + 1])
        let ah = Int(data[tail + 2] >> 4), al = Int(data[tail + 2] & 15)
        scanCount += 1

        var reader = JPEGBitReader(data: data, position: position)
        if frame.isLossless {
            guard (1...7).contains(ss) else { throw JPEGError("lossless scan with predictor \(ss) (1 to 7 expected)", offset: markerOffset) }
            guard al < frame.precision else {
                throw JPEGError("point transform \(al) is not below the precision \(frame.precision)", offset: markerOffset)
            }
            try decodeLosslessScan(components, frame: frame, predictor: ss, pointTransform: al, reader: &reader)
        } else {
            guard ss == 0, ah == 0, al == 0 else {  // Se is not checked: some encoders write it wrong
                throw JPEGError("scan with spectral selection \(ss)–\(se) and approximation \(ah)/\(al) is progressive", offset: markerOffset)
            }
            if count > 1 {
                let blocks = components.reduce(0) {
                    $0 + frame.components[$1.frameIndex].horizontalSampling * frame.components[$1.frameIndex].verticalSampling
                }
                guard blocks <= 10 else { throw JPEGError("interleaved scan with \(blocks) blocks per MCU (10 at most)", offset: markerOffset) }
            }
            for component in components {
                guard quantizationTables[frame.components[component.frameIndex].quantizationTable] != nil else {
                    throw JPEGError("quantization table \(frame.components[component.frameIndex].quantizationTable) is not defined",
                                    offset: markerOffset)
                }
            }
            try decodeSequentialScan(components, frame: frame, reader: &reader)
        }
        try reader.alignToMarker()
        position = reader.position
        for component in components { decodedComponents[component.frameIndex] = true }
    }
}
