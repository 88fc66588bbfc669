extension JPEGStreamDecoder {
    /// Interleaves the component planes into the output image, upsampling subsampled components (triangle filter for 2:1, replication otherwise).
    mutating func finish() throws(JPEGError) -> JPEGDecodedImage {
        guard let frame else { throw JPEGError("stream has no frame header (SOF)") }
        guard scanCount > 0 else { throw JPEGError("stream has no scan (SOS)") }
        if let missing = decodedComponents.firstIndex(of: false) {
            throw JPEGError("component \(frame.components[missing].id) was not coded in any scan (truncated stream?)")
        }
        let width = frame.width, height = frame.height, count = frame.components.count
        var samples = [UInt16](repeating: 0, count: width * height * count)
        let hMax = frame.maxHorizontalSampling, vMax = frame.maxVerticalSampling
        planes.withUnsafeBufferPointer { planeBuffer in
            samples.withUnsafeMutableBufferPointer { out in
                guard let source = planeBuffer.baseAddress, let target = out.baseAddress else { return }
                for (c, component) in frame.components.enumerated() {
                    let plane = source + planeOffsets[c], stride = planeStrides[c]
                    let h = component.horizontalSampling, v = component.verticalSampling
                    if count == 1 {
                        for y in 0..<height {
                            (target + y * width).update(from: plane + y * stride, count: width)
                        }
                    } else if h == hMax, v == vMax {
                        for y in 0..<height {
                            let row = plane + y * stride, outRow = target + y * width * count + c
                            for x in 0..<width { outRow[x * count] = row[x] }
                        }
                    } else if hMax / h <= 2, vMax / v <= 2, hMax % h == 0, vMax % v == 0 {
                        let componentWidth = (width * h + hMax - 1) / hMax
                        let componentHeight = (height * v + vMax - 1) / vMax
                        JPEGUpsampler.triangle(plane: plane, stride: stride, width: componentWidth, height: componentHeight,
                                               doubleWidth: hMax == 2 * h, doubleHeight: vMax == 2 * v,
                                               output: target + c, outputWidth: width, outputHeight: height, step: count)
                    } else {
                        for y in 0..<height {
                            let row = plane + (y * v / vMax) * stride, outRow = target + y * width * count + c
                            for x in 0..<width { outRow[x * count] = row[x * h / hMax] }
                        }
                    }
                }
            }
        }
        return JPEGDecodedImage(width: width, height: height, components: count, precision: frame.precision,
                                samples: samples, adobeTransform: adobeTransform, hasJFIF: hasJFIF)
    }
}
