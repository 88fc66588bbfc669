/// Zig-zag position → natural (row-major) position in an 8×8 block (T.81 Figure A.6); padded so a corrupt run
/// cannot index past it.
let jpegZigZag: [Int] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]

/// What the block loop needs of one scan component, as raw pointers.
struct JPEGDCTComponentState {
    var plane: UnsafeMutablePointer<UInt16>
    var stride: Int
    var horizontal: Int
    var vertical: Int
    var quantization: UnsafeMutablePointer<Int32>
    var dc: JPEGHuffmanLookup
    var ac: JPEGHuffmanLookup
    var prediction = 0
}

extension JPEGStreamDecoder {
    /// Decodes a sequential DCT scan (T.81 F.2), transforming each block into its component plane as it arrives.
    mutating func decodeSequentialScan(_ scan: [JPEGScanComponent], frame: JPEGFrameHeader,
                                       reader outerReader: inout JPEGBitReader) throws(JPEGError) {
        var reader = outerReader
        defer { outerReader = reader }
        let acTables = scan.compactMap(\.acTable)
        guard acTables.count == scan.count else { throw JPEGError("AC table missing in a DCT scan") }
        // Flat copies of the Huffman tables and quantizers, so the block loop works on pointers only.
        let huffman = JPEGHuffmanLookupStorage(scan.map(\.dcTable) + acTables)
        let quantizers = UnsafeMutablePointer<Int32>.allocate(capacity: scan.count * 64 + 64)
        defer { huffman.release(); quantizers.deallocate() }
        let coefficients = quantizers + scan.count * 64
        coefficients.initialize(repeating: 0, count: 64)
        var states: [JPEGDCTComponentState] = []
        let precision = frame.precision
        let maxCategory = precision == 8 ? 11 : 15
        try planes.withUnsafeMutableBufferPointer { (planeBuffer: inout UnsafeMutableBufferPointer<UInt16>) throws(JPEGError) in
            guard let base = planeBuffer.baseAddress else { throw JPEGError("no planes allocated") }
            for (i, component) in scan.enumerated() {
                let fc = frame.components[component.frameIndex]
                let q = quantizers + 64 * i
                q.initialize(from: quantizationTables[fc.quantizationTable] ?? [Int32](repeating: 1, count: 64), count: 64)
                states.append(JPEGDCTComponentState(
                    plane: base + planeOffsets[component.frameIndex], stride: planeStrides[component.frameIndex],
                    horizontal: fc.horizontalSampling, vertical: fc.verticalSampling, quantization: q,
                    dc: huffman.lookups[i], ac: huffman.lookups[scan.count + i]))
            }
            try jpegZigZag.withUnsafeBufferPointer { (zigZag: UnsafeBufferPointer<Int>) throws(JPEGError) in
                // Decodes one block and writes its samples at `output`.
                func block(_ s: inout JPEGDCTComponentState, _ output: UnsafeMutablePointer<UInt16>,
                           _ reader: inout JPEGBitReader) throws(JPEGError) {
                    let category = try reader.decode(s.dc)
                    guard category <= maxCategory else { throw JPEGError("DC difference category \(category) is invalid", offset: reader.position) }
                    s.prediction &+= reader.receiveExtend(category)
                    coefficients[0] = Int32(truncatingIfNeeded: s.prediction) &* s.quantization[0]
                    var k = 1
                    var acSeen = false
                    while k < 64 {
                        let rs = try reader.decode(s.ac)
                        let size = rs & 15, run = rs >> 4
                        if size == 0 {
                            if run != 15 { break }
                            k += 16
                            continue
                        }
                        k += run
                        guard k < 64 else { throw JPEGError("AC coefficients run past the end of a block", offset: reader.position) }
                        coefficients[zigZag[k]] = Int32(truncatingIfNeeded: reader.receiveExtend(size)) &* s.quantization[k]
                        acSeen = true
                        k += 1
                    }
                    JPEGInverseDCT.transform(coefficients, dcOnly: !acSeen, precision: precision, output: output, stride: s.stride)
                    if acSeen { coefficients.update(repeating: 0, count: 64) }
                }

                let interval = restartInterval
                var untilRestart = interval
                if states.count == 1 {
                    // Non-interleaved: one block per MCU over the component's own extent (T.81 A.2.2).
                    let fc = frame.components[scan[0].frameIndex]
                    let width = (frame.width * fc.horizontalSampling + frame.maxHorizontalSampling - 1) / frame.maxHorizontalSampling
                    let height = (frame.height * fc.verticalSampling + frame.maxVerticalSampling - 1) / frame.maxVerticalSampling
                    let across = (width + 7) / 8, down = (height + 7) / 8
                    let stride = states[0].stride
                    for by in 0..<down {
                        for bx in 0..<across {
                            if interval > 0 {
                                if untilRestart == 0 {
                                    try reader.restart()
                                    states[0].prediction = 0
                                    untilRestart = interval
                                }
                                untilRestart -= 1
                            }
                            try block(&states[0], states[0].plane + by * 8 * stride + bx * 8, &reader)
                        }
                        if reader.overrun { throw JPEGError("entropy-coded data ends early (truncated or corrupt)", offset: reader.position) }
                    }
                } else {
                    for my in 0..<frame.mcusDown {
                        for mx in 0..<frame.mcusAcross {
                            if interval > 0 {
                                if untilRestart == 0 {
                                    try reader.restart()
                                    for i in states.indices { states[i].prediction = 0 }
                                    untilRestart = interval
                                }
                                untilRestart -= 1
                            }
                            for i in states.indices {
                                let h = states[i].horizontal, v = states[i].vertical, stride = states[i].stride
                                for y in 0..<v {
                                    for x in 0..<h {
                                        let output = states[i].plane + (my * v + y) * 8 * stride + (mx * h + x) * 8
                                        try block(&states[i], output, &reader)
                                    }
                                }
                            }
                        }
                        if reader.overrun { throw JPEGError("entropy-coded data ends early (truncated or corrupt)", offset: reader.position) }
                    }
                }
            }
        }
    }
}
