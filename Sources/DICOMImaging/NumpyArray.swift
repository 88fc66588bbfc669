/// An n-dimensional array in NumPy's `.npy` format (version 1.0), as Orthanc's /numpy answers.
public struct NumpyArray: Sendable, Equatable {
    /// NumPy's type string: `|u1`, `<u2`, `<i2`, `<u4`, `<i4`, `<f4`.
    public var dtype: String
    public var shape: [Int]
    /// Samples little endian, C order.
    public var data: [UInt8]

    /// The frames of an image stacked as (frames, rows, columns, samples), or (rows, columns, samples) for one
    /// frame; `rescale` applies the modality rescale and gives float32.
    public init(frames: [PixelBuffer], presentation: PresentationAttributes, rescale: Bool,
                stackFrames: Bool = true) throws(ImagingError) {
        guard let first = frames.first else { throw ImagingError(.noSuchFrame, "no frame to export") }
        for f in frames where f.width != first.width || f.height != first.height || f.samplesPerPixel != first.samplesPerPixel {
            throw ImagingError(.unsupported, "frames of different sizes cannot be stacked in one array")
        }
        let base = [first.height, first.width, first.samplesPerPixel]
        shape = stackFrames ? [frames.count] + base : base
        let count = frames.reduce(0) { $0 + $1.samples.count }
        if rescale {
            dtype = "<f4"
            data = []
            data.reserveCapacity(count * 4)
            for f in frames {
                for i in f.samples.indices {
                    let v = Float(Double(f.value(at: i)) * presentation.rescaleSlope + presentation.rescaleIntercept)
                    let bits = v.bitPattern
                    data += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
                }
            }
            return
        }
        let size: Int
        if first.bitsStored <= 8 && !first.isSigned { (dtype, size) = ("|u1", 1) }
        else if first.bitsStored <= 8 { (dtype, size) = ("|i1", 1) }
        else if first.bitsStored <= 16 { (dtype, size) = (first.isSigned ? "<i2" : "<u2", 2) }
        else { (dtype, size) = (first.isSigned ? "<i4" : "<u4", 4) }
        data = [UInt8](repeating: 0, count: count * size)
        var o = 0
        for f in frames {
            for s in f.samples {
                let v = UInt32(bitPattern: s)
                for k in 0 ..< size { data[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
                o += size
            }
        }
    }

    /// The `.npy` file: magic, version, a header padded to a multiple of 64 bytes, then the data.
    public func npy() -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        out += Array(header.utf8)
        out += data
        return out
    }
}
