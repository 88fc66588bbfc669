/// The 8×8 inverse DCT of T.81 A.3.3, separable, in single precision with 8-wide SIMD rows.
enum JPEGInverseDCT {
    /// Column u holds the basis values 0.5·C(u)·cos((2x+1)uπ/16) for x = 0...7 (C(0) = 1/√2), written out because
    /// the standard library has no cosine.
    static let basis: [SIMD8<Float>] = [
        SIMD8<Float>(0.353553391, 0.353553391, 0.353553391, 0.353553391, 0.353553391, 0.353553391, 0.353553391, 0.353553391),
        SIMD8<Float>(0.490392640, 0.415734806, 0.277785117, 0.097545161, -0.097545161, -0.277785117, -0.415734806, -0.490392640),
        SIMD8<Float>(0.461939766, 0.191341716, -0.191341716, -0.461939766, -0.461939766, -0.191341716, 0.191341716, 0.461939766),
        SIMD8<Float>(0.415734806, -0.097545161, -0.490392640, -0.277785117, 0.277785117, 0.490392640, 0.097545161, -0.415734806),
        SIMD8<Float>(0.353553391, -0.353553391, -0.353553391, 0.353553391, 0.353553391, -0.353553391, -0.353553391, 0.353553391),
        SIMD8<Float>(0.277785117, -0.490392640, 0.097545161, 0.415734806, -0.415734806, -0.097545161, 0.490392640, -0.277785117),
        SIMD8<Float>(0.191341716, -0.461939766, 0.461939766, -0.191341716, -0.191341716, 0.461939766, -0.461939766, 0.191341716),
        SIMD8<Float>(0.097545161, -0.277785117, 0.415734806, -0.490392640, 0.490392640, -0.415734806, 0.277785117, -0.097545161),
    ]

    /// Transforms dequantized coefficients (natural order) into samples written at `output` with row stride `stride`,
    /// level-shifted by 2^(precision−1) and clamped to the sample range.
    @inline(__always)
    static func transform(_ coefficients: UnsafeMutablePointer<Int32>, dcOnly: Bool, precision: Int,
                          output: UnsafeMutablePointer<UInt16>, stride: Int) {
        let shift = Float(1 << (precision - 1))
        let maximum = Float((1 << precision) - 1)
        if dcOnly {
            let sample = UInt16(truncatingIfNeeded: Int32((Float(coefficients[0]) * 0.125 + shift).clamped(0, maximum) + 0.5))
            for y in 0..<8 {
                let row = output + y * stride
                for x in 0..<8 { row[x] = sample }
            }
            return
        }
        basis.withUnsafeBufferPointer { b in
            // Rows: tmp[v] = horizontal 1-D IDCT of coefficient row v.
            var tmp = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                       SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
            withUnsafeMutableBytes(of: &tmp) { raw in
                let rows = raw.baseAddress!.assumingMemoryBound(to: SIMD8<Float>.self)
                for v in 0..<8 {
                    let c = coefficients + 8 * v
                    var acc = SIMD8<Float>()
                    for u in 0..<8 where c[u] != 0 {
                        acc += Float(c[u]) * b[u]
                    }
                    rows[v] = acc
                }
                // Columns: out[y] = Σv basis[v][y]·tmp[v].
                for y in 0..<8 {
                    var acc = SIMD8<Float>(repeating: shift)
                    for v in 0..<8 { acc += b[v][y] * rows[v] }
                    // Clamp first so the values are non-negative: adding one half and truncating then rounds.
                    let row = output + y * stride
                    for x in 0..<8 { row[x] = UInt16(truncatingIfNeeded: Int32(acc[x].clamped(0, maximum) + 0.5)) }
                }
            }
        }
    }
}

extension Float {
    @inline(__always)
    func clamped(_ lower: Float, _ upper: Float) -> Float { Swift.min(Swift.max(self, lower), upper) }
}
