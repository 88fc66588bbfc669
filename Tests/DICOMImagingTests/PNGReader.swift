import CZlib
import Testing

/// A minimal PNG reader for the tests: checks the signature and every chunk's CRC, inflates IDAT and undoes the
/// row filters the encoder uses (None, Sub, Up, Average, Paeth).
struct DecodedPNG {
    var width = 0, height = 0, bitDepth = 0, colorType = 0
    var pixels: [UInt8] = []

    init(_ png: [UInt8]) throws {
        struct Bad: Error { var reason: String }
        guard png.count > 8, png[0 ..< 8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Bad(reason: "signature")
        }
        func be(_ at: Int) -> Int { (0 ..< 4).reduce(0) { $0 << 8 | Int(png[at + $1]) } }
        var offset = 8
        var idat: [UInt8] = []
        var sawEnd = false
        while offset + 12 <= png.count {
            let length = be(offset)
            guard offset + 12 + length <= png.count else { throw Bad(reason: "chunk length") }
            let typeAndData = Array(png[offset + 4 ..< offset + 8 + length])
            let crc = typeAndData.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            guard UInt32(crc) == UInt32(be(offset + 8 + length)) else { throw Bad(reason: "CRC") }
            let type = String(decoding: typeAndData[0 ..< 4], as: UTF8.self)
            let data = Array(typeAndData[4...])
            switch type {
            case "IHDR":
                width = (0 ..< 4).reduce(0) { $0 << 8 | Int(data[$1]) }
                height = (4 ..< 8).reduce(0) { $0 << 8 | Int(data[$1]) }
                bitDepth = Int(data[8])
                colorType = Int(data[9])
            case "IDAT": idat += data
            case "IEND": sawEnd = true
            default: break
            }
            offset += 12 + length
        }
        guard sawEnd, width > 0, height > 0 else { throw Bad(reason: "IHDR/IEND") }
        let channels = colorType == 2 ? 3 : 1
        let bpp = channels * bitDepth / 8
        let rowBytes = width * bpp
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * height)
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { dst in
            idat.withUnsafeBufferPointer { uncompress(dst.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(size) == raw.count else { throw Bad(reason: "inflate") }
        pixels = [UInt8](repeating: 0, count: rowBytes * height)
        for y in 0 ..< height {
            let filter = raw[y * (rowBytes + 1)]
            for x in 0 ..< rowBytes {
                let v = raw[y * (rowBytes + 1) + 1 + x]
                let a = x >= bpp ? Int(pixels[y * rowBytes + x - bpp]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * rowBytes + x]) : 0
                let c = x >= bpp && y > 0 ? Int(pixels[(y - 1) * rowBytes + x - bpp]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Bad(reason: "filter \(filter)")
                }
                pixels[y * rowBytes + x] = v &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
    }
}
