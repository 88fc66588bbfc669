/// A minimal lossless JPEG (process 14) encoder for tests: fixed 5-bit codes for the 17 difference categories, any
/// predictor, point transform, restart interval, 1 to 4 interleaved components. It makes streams no corpus file
/// covers (restart markers in lossless scans, category 16, 2-bit precision).
struct LosslessTestEncoder {
    var width: Int
    var height: Int
    var components: Int
    var precision: Int
    var predictor: Int
    var pointTransform = 0
    var restartInterval = 0

    private var out: [UInt8] = []
    private var buffer: UInt32 = 0
    private var bitCount = 0

    init(width: Int, height: Int, components: Int, precision: Int, predictor: Int, pointTransform: Int = 0,
         restartInterval: Int = 0) {
        self.width = width
        self.height = height
        self.components = components
        self.precision = precision
        self.predictor = predictor
        self.pointTransform = pointTransform
        self.restartInterval = restartInterval
    }

    /// Encodes interleaved samples (each below 2^precision).
    mutating func encode(_ samples: [UInt16]) -> [UInt8] {
        out = [0xFF, 0xD8]
        segment(0xC3, [UInt8(precision), UInt8(height >> 8), UInt8(height & 255), UInt8(width >> 8), UInt8(width & 255),
                       UInt8(components)] + (0..<components).flatMap { [UInt8($0 + 1), 0x11, 0] })
        var counts = [UInt8](repeating: 0, count: 16)
        counts[4] = 17
        segment(0xC4, [0x00] + counts + (0...16).map { UInt8($0) })
        if restartInterval > 0 { segment(0xDD, [UInt8(restartInterval >> 8), UInt8(restartInterval & 255)]) }
        segment(0xDA, [UInt8(components)] + (0..<components).flatMap { [UInt8($0 + 1), 0x00] }
                + [UInt8(predictor), 0, UInt8(pointTransform)])
        let reduced = samples.map { Int($0) >> pointTransform }
        let initial = 1 << (precision - pointTransform - 1)
        var mcu = 0, intervalRow = 0, marker = 0
        for y in 0..<height {
            for x in 0..<width {
                var intervalStart = mcu == 0
                if restartInterval > 0, mcu > 0, mcu % restartInterval == 0 {
                    flush()
                    out += [0xFF, 0xD0 + UInt8(marker % 8)]
                    marker += 1
                    intervalStart = true
                    intervalRow = y
                }
                for c in 0..<components {
                    func at(_ x: Int, _ y: Int) -> Int { reduced[(y * width + x) * components + c] }
                    let p: Int
                    if intervalStart { p = initial }
                    else if y == intervalRow { p = at(x - 1, y) }
                    else if x == 0 { p = at(x, y - 1) }
                    else {
                        let a = at(x - 1, y), b = at(x, y - 1), cc = at(x - 1, y - 1)
                        switch predictor {
                        case 1: p = a
                        case 2: p = b
                        case 3: p = cc
                        case 4: p = a + b - cc
                        case 5: p = a + ((b - cc) >> 1)
                        case 6: p = b + ((a - cc) >> 1)
                        default: p = (a + b) >> 1
                        }
                    }
                    var d = (at(x, y) - p) & 0xFFFF
                    if d > 32768 { d -= 65536 }
                    var category = 0
                    while category < 16, abs(d) >= 1 << category { category += 1 }
                    put(category, 5)
                    if category > 0, category < 16 { put(d > 0 ? d : d + (1 << category) - 1, category) }
                }
                mcu += 1
            }
        }
        flush()
        out += [0xFF, 0xD9]
        return out
    }

    private mutating func segment(_ marker: UInt8, _ body: [UInt8]) {
        out += [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 255)] + body
    }

    private mutating func put(_ value: Int, _ count: Int) {
        for i in (0..<count).reversed() {
            buffer = buffer << 1 | UInt32((value >> i) & 1)
            bitCount += 1
            if bitCount == 8 { emit(UInt8(buffer & 255)); buffer = 0; bitCount = 0 }
        }
    }

    /// Pads the last byte with 1 bits (T.81 F.1.2.3).
    private mutating func flush() {
        while bitCount != 0 { put(1, 1) }
    }

    private mutating func emit(_ byte: UInt8) {
        out.append(byte)
        if byte == 0xFF { out.append(0) }
    }
}

