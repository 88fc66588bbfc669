/// Resizing of 8-bit rendered images: nearest neighbour, or bilinear when smooth.
enum ImageScaling {
    static func resize(_ image: RenderedImage, width: Int, height: Int, smooth: Bool) -> RenderedImage {
        guard width != image.width || height != image.height else { return image }
        let channels = image.format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: width * height * channels)
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        let src = image.bytes
        for y in 0 ..< height {
            let fy = max(0, (Double(y) + 0.5) * sy - 0.5)
            for x in 0 ..< width {
                let fx = max(0, (Double(x) + 0.5) * sx - 0.5)
                let o = (y * width + x) * channels
                if smooth {
                    let x0 = min(Int(fx), image.width - 1), y0 = min(Int(fy), image.height - 1)
                    let x1 = min(x0 + 1, image.width - 1), y1 = min(y0 + 1, image.height - 1)
                    let ax = fx - Double(x0), ay = fy - Double(y0)
                    for c in 0 ..< channels {
                        let p00 = Double(src[(y0 * image.width + x0) * channels + c])
                        let p10 = Double(src[(y0 * image.width + x1) * channels + c])
                        let p01 = Double(src[(y1 * image.width + x0) * channels + c])
                        let p11 = Double(src[(y1 * image.width + x1) * channels + c])
                        let top = p00 + (p10 - p00) * ax, bottom = p01 + (p11 - p01) * ax
                        out[o + c] = UInt8(max(0, min(255, (top + (bottom - top) * ay).rounded())))
                    }
                } else {
                    let xs = min(Int(Double(x) * sx), image.width - 1), ys = min(Int(Double(y) * sy), image.height - 1)
                    for c in 0 ..< channels { out[o + c] = src[(ys * image.width + xs) * channels + c] }
                }
            }
        }
        return RenderedImage(width: width, height: height, format: image.format, bytes: out)
    }
}
