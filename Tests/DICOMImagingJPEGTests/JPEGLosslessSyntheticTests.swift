import DICOMImaging
import Testing
import TestSupport

/// Lossless streams from the test encoder: every predictor with restart intervals, point transforms, 2 to 16 bits.
@Suite struct JPEGLosslessSyntheticTests {
    /// A smooth ramp with noise, so differences cover small and large categories.
    static func image(width: Int, height: Int, components: Int, precision: Int, seed: UInt64) -> [UInt16] {
        var random = TestRandom(state: seed)
        let maximum = (1 << precision) - 1
        var samples = [UInt16](repeating: 0, count: width * height * components)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<components {
                    let ramp = (x * 7 + y * 3 + c * 50) % (maximum + 1)
                    let noise = Int(random.next() % UInt64(max(2, (maximum + 1) / 8)))
                    samples[(y * width + x) * components + c] = UInt16(min(maximum, ramp + noise))
                }
            }
        }
        return samples
    }

    @Test(arguments: 1...7)
    func predictorsWithRestarts(_ predictor: Int) throws {
        for (precision, components, pointTransform, interval) in [(8, 1, 0, 0), (12, 3, 0, 37), (16, 1, 0, 37),
                                                                   (16, 2, 3, 74), (2, 1, 0, 37), (10, 4, 1, 111)] {
            let width = 37, height = 23
            let samples = Self.image(width: width, height: height, components: components, precision: precision,
                                     seed: UInt64(predictor * 100 + precision))
            var encoder = LosslessTestEncoder(width: width, height: height, components: components, precision: precision,
                                              predictor: predictor, pointTransform: pointTransform, restartInterval: interval)
            let image = try JPEGDecoder.decode(encoder.encode(samples))
            #expect(image.width == width && image.height == height && image.components == components && image.precision == precision)
            let expected = samples.map { ($0 >> UInt16(pointTransform)) << UInt16(pointTransform) }
            #expect(image.samples == expected, "predictor \(predictor), \(precision)-bit, \(components) comps, Pt \(pointTransform), Ri \(interval)")
        }
    }

    /// 16-bit differences of exactly 32768 use category 16, which carries no extra bits.
    @Test func category16Difference() throws {
        let samples: [UInt16] = [0, 32768, 0, 65535, 32768, 1, 0, 0]
        var encoder = LosslessTestEncoder(width: 4, height: 2, components: 1, precision: 16, predictor: 1)
        let stream = encoder.encode(samples)
        #expect(try JPEGDecoder.decode(stream).samples == samples)
    }
}
