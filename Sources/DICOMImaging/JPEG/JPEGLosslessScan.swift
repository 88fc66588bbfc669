/// What the sample loop needs of one lossless scan component.
struct JPEGLosslessComponentState {
    var plane: UnsafeMutablePointer<UInt16>
    var table: JPEGHuffmanLookup
}

extension JPEGStreamDecoder {
    /// Decodes a lossless scan (T.81 H.2): every component is sampled 1×1, so an MCU is one sample of each.
    mutating func decodeLosslessScan(_ scan: [JPEGScanComponent], frame: JPEGFrameHeader, predictor: Int,
                                     pointTransform: Int, reader outerReader: inout JPEGBitReader) throws(JPEGError) {
        // A local copy keeps the bit buffer in registers; it is written back however the scan ends.
        var reader = outerReader
        defer { outerReader = reader }
        let huffman = JPEGHuffmanLookupStorage(scan.map(\.dcTable))
        defer { huffman.release() }
        let width = frame.width, height = frame.height
        let initial = 1 << (frame.precision - pointTransform - 1)
        let interval = restartInterval
        try planes.withUnsafeMutableBufferPointer { (planeBuffer: inout UnsafeMutableBufferPointer<UInt16>) throws(JPEGError) in
            guard let base = planeBuffer.baseAddress else { throw JPEGError("no planes allocated") }
            var states: [JPEGLosslessComponentState] = []
            for (i, component) in scan.enumerated() {
                states.append(JPEGLosslessComponentState(plane: base + planeOffsets[component.frameIndex],
                                                         table: huffman.lookups[i]))
            }
            let componentCount = states.count
            var untilRestart = interval
            // Row where the current restart interval began: it is predicted like the first line (T.81 H.1.2.1).
            var intervalRow = 0
            var intervalStart = true
            for y in 0..<height {
                let rowOffset = y * width
                for x in 0..<width {
                    if interval > 0 {
                        if untilRestart == 0 {
                            try reader.restart()
                            untilRestart = interval
                            intervalRow = y
                            intervalStart = true
                        }
                        untilRestart -= 1
                    }
                    for index in 0..<componentCount {
                        let state = states[index]
                        let row = state.plane + rowOffset
                        let prediction: Int
                        if intervalStart {
                            prediction = initial
                        } else if y == intervalRow {
                            prediction = Int(row[x - 1])
                        } else if x == 0 {
                            prediction = Int(row[x - width])
                        } else {
                            let a = Int(row[x - 1]), b = Int(row[x - width]), c = Int(row[x - width - 1])
                            switch predictor {
                            case 1: prediction = a
                            case 2: prediction = b
                            case 3: prediction = c
                            case 4: prediction = a + b - c
                            case 5: prediction = a + ((b - c) >> 1)
                            case 6: prediction = b + ((a - c) >> 1)
                            default: prediction = (a + b) >> 1
                            }
                        }
                        let category = try reader.decode(state.table)
                        let difference: Int
                        if category == 16 {
                            difference = 32768  // T.81 Table H.2: category 16 has no additional bits
                        } else if category < 16 {
                            difference = reader.receiveExtend(category)
                        } else {
                            throw JPEGError("lossless difference category \(category) is invalid", offset: reader.position)
                        }
                        row[x] = UInt16(truncatingIfNeeded: prediction &+ difference)
                    }
                    intervalStart = false
                }
                if reader.overrun { throw JPEGError("entropy-coded data ends early (truncated or corrupt)", offset: reader.position) }
            }
            if pointTransform > 0 {
                for state in states {
                    for i in 0..<width * height {
                        state.plane[i] = state.plane[i] &<< UInt16(pointTransform)
                    }
                }
            }
        }
    }
}
