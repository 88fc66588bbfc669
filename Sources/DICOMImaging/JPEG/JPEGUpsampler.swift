/// Chroma upsampling by 2 horizontally and/or vertically with a triangle filter: each output sample weighs its
/// nearer source sample 3/4 and the farther one 1/4 in each doubled direction (as IJG libjpeg's "fancy" upsampling,
/// so results agree with the decoders viewers use), replicating at the edges.
enum JPEGUpsampler {
    static func triangle(plane: UnsafePointer<UInt16>, stride: Int, width: Int, height: Int,
                         doubleWidth: Bool, doubleHeight: Bool,
                         output: UnsafeMutablePointer<UInt16>, outputWidth: Int, outputHeight: Int, step: Int) {
        // Vertical pass into one row of column sums with weight 4; horizontal pass divides by 16.
        var sums = [Int](repeating: 0, count: width)
        sums.withUnsafeMutableBufferPointer { sums in
            for y in 0..<outputHeight {
                if doubleHeight {
                    let near = min(y / 2, height - 1)
                    let far = min(max(y & 1 == 0 ? near - 1 : near + 1, 0), height - 1)
                    let a = plane + near * stride, b = plane + far * stride
                    for x in 0..<width { sums[x] = 3 * Int(a[x]) + Int(b[x]) }
                } else {
                    let a = plane + min(y, height - 1) * stride
                    for x in 0..<width { sums[x] = 4 * Int(a[x]) }
                }
                let out = output + y * outputWidth * step
                if doubleWidth {
                    for x in 0..<outputWidth {
                        let near = min(x / 2, width - 1)
                        let far = x & 1 == 0 ? near - 1 : near + 1
                        let value: Int
                        if far < 0 || far >= width {
                            value = (4 * sums[near] + 8) >> 4
                        } else {
                            value = (3 * sums[near] + sums[far] + (x & 1 == 0 ? 8 : 7)) >> 4
                        }
                        out[x * step] = UInt16(truncatingIfNeeded: value)
                    }
                } else {
                    for x in 0..<outputWidth {
                        out[x * step] = UInt16(truncatingIfNeeded: (4 * sums[min(x, width - 1)] + 8) >> 4)
                    }
                }
            }
        }
    }
}
