/// Orthanc's pixel semantics for /preview, /rendered and /image-uint8, /image-uint16, /image-int16.
public enum ImageRenderer {
    /// Which raw extraction: values clamped to the type's range, no rescale (Orthanc's /image-uintX, /image-int16).
    public enum Extraction: Sendable {
        case uint8
        case uint16
        case int16
    }

    /// /rendered options: an explicit window, and a target size.
    public struct Options: Sendable, Equatable {
        public var windowCenter: Double?
        public var windowWidth: Double?
        public var width: Int?
        public var height: Int?
        /// Bilinear instead of nearest-neighbour scaling.
        public var smooth: Bool

        public init(windowCenter: Double? = nil, windowWidth: Double? = nil, width: Int? = nil, height: Int? = nil,
                    smooth: Bool = false) {
            self.windowCenter = windowCenter
            self.windowWidth = windowWidth
            self.width = width
            self.height = height
            self.smooth = smooth
        }
    }

    /// /preview: the frame's full dynamic range stretched to 0–255, MONOCHROME1 inverted, colour kept.
    public static func preview(_ buffer: PixelBuffer, presentation: PresentationAttributes) throws(ImagingError) -> RenderedImage {
        if let colour = try colourImage(buffer, presentation: presentation) { return colour }
        let (lo, hi) = buffer.valueRange()
        let span = Double(hi - lo)
        var out = [UInt8](repeating: 0, count: buffer.width * buffer.height)
        if span > 0 {
            // Multiply before dividing so that exact halves round the same way as Orthanc's integer arithmetic.
            for i in out.indices { out[i] = UInt8((Double(buffer.value(at: i) - lo) * 255 / span).rounded()) }
        }
        if buffer.photometricInterpretation == .monochrome1 { invert(&out) }
        return RenderedImage(width: buffer.width, height: buffer.height, format: .grayscale8, bytes: out)
    }

    /// /rendered: modality rescale, VOI window (given, else the file's first, else the full range), MONOCHROME1
    /// inverted, then scaled to fit `width` x `height` keeping the aspect ratio.
    public static func rendered(_ buffer: PixelBuffer, presentation: PresentationAttributes,
                                options: Options = Options()) throws(ImagingError) -> RenderedImage {
        var image: RenderedImage
        if let colour = try colourImage(buffer, presentation: presentation) {
            image = colour
        } else {
            let slope = presentation.rescaleSlope, intercept = presentation.rescaleIntercept
            var center: Double, width: Double
            if let c = options.windowCenter, let w = options.windowWidth, w > 0 {
                (center, width) = (c, w)
            } else if let first = presentation.windows.first {
                (center, width) = (first.center, first.width)
            } else {
                let (lo, hi) = buffer.valueRange()
                let a = Double(lo) * slope + intercept, b = Double(hi) * slope + intercept
                center = (a + b) / 2
                width = max(abs(b - a), 1)
            }
            let low = center - width / 2
            var out = [UInt8](repeating: 0, count: buffer.width * buffer.height)
            for i in out.indices {
                let v = (Double(buffer.value(at: i)) * slope + intercept - low) * 255 / width
                out[i] = UInt8(max(0, min(255, v.rounded())))
            }
            if buffer.photometricInterpretation == .monochrome1 { invert(&out) }
            image = RenderedImage(width: buffer.width, height: buffer.height, format: .grayscale8, bytes: out)
        }
        if options.width != nil || options.height != nil {
            let (w, h) = try fittedSize(image.width, image.height, options.width, options.height)
            image = ImageScaling.resize(image, width: w, height: h, smooth: options.smooth)
        }
        return image
    }

    /// /image-uint8, /image-uint16, /image-int16: stored values clamped to the type's range.
    public static func extract(_ buffer: PixelBuffer, as type: Extraction) throws(ImagingError) -> RenderedImage {
        let count = buffer.width * buffer.height
        if buffer.samplesPerPixel == 3 {
            guard type == .uint8 else {
                throw ImagingError(.unsupported, "colour images can only be extracted as 8-bit RGB")
            }
            var rgb = buffer
            if ColorConversion.isYBR(rgb.photometricInterpretation) { ColorConversion.ybrToRGB(&rgb) }
            return RenderedImage(width: buffer.width, height: buffer.height, format: .rgb24,
                                 bytes: (0 ..< count * 3).map { UInt8(max(0, min(255, rgb.value(at: $0)))) })
        }
        switch type {
        case .uint8:
            return RenderedImage(width: buffer.width, height: buffer.height, format: .grayscale8,
                                 bytes: (0 ..< count).map { UInt8(max(0, min(255, buffer.value(at: $0)))) })
        case .uint16, .int16:
            let (lo, hi): (Int64, Int64) = type == .uint16 ? (0, 65535) : (-32768, 32767)
            var bytes = [UInt8](repeating: 0, count: count * 2)
            for i in 0 ..< count {
                let v = UInt16(truncatingIfNeeded: max(lo, min(hi, buffer.value(at: i))))
                bytes[2 * i] = UInt8(v & 0xFF)
                bytes[2 * i + 1] = UInt8(v >> 8)
            }
            return RenderedImage(width: buffer.width, height: buffer.height,
                                 format: type == .uint16 ? .grayscale16 : .signedGrayscale16, bytes: bytes)
        }
    }

    /// Colour frames (RGB, YBR, palette) as 8-bit RGB; nil for grayscale.
    static func colourImage(_ buffer: PixelBuffer, presentation: PresentationAttributes) throws(ImagingError) -> RenderedImage? {
        if buffer.photometricInterpretation == .paletteColor && buffer.samplesPerPixel == 1 {
            guard let lut = presentation.palette else {
                throw presentation.paletteError ?? ImagingError(.corrupt, "PALETTE COLOR image without a palette")
            }
            return RenderedImage(width: buffer.width, height: buffer.height, format: .rgb24,
                                 bytes: ColorConversion.paletteToRGB8(buffer, lut))
        }
        guard buffer.samplesPerPixel == 3 else { return nil }
        var rgb = buffer
        if ColorConversion.isYBR(rgb.photometricInterpretation) { ColorConversion.ybrToRGB(&rgb) }
        var out = [UInt8](repeating: 0, count: rgb.samples.count)
        if rgb.bitsStored <= 8 {
            for i in out.indices { out[i] = UInt8(max(0, min(255, rgb.value(at: i)))) }
        } else {
            // Deeper colour: stretch the range to 8 bits, as for grayscale previews.
            let (lo, hi) = rgb.valueRange()
            let scale = hi > lo ? 255 / Double(hi - lo) : 0
            for i in out.indices { out[i] = UInt8((Double(rgb.value(at: i) - lo) * scale).rounded()) }
        }
        return RenderedImage(width: buffer.width, height: buffer.height, format: .rgb24, bytes: out)
    }

    private static func invert(_ pixels: inout [UInt8]) {
        for i in pixels.indices { pixels[i] = 255 - pixels[i] }
    }

    /// Target size keeping the aspect ratio: one side given, or fit inside both.
    static func fittedSize(_ w: Int, _ h: Int, _ tw: Int?, _ th: Int?) throws(ImagingError) -> (Int, Int) {
        let limit = 16384
        if let tw, tw <= 0 || tw > limit { throw ImagingError(.unsupported, "width must be 1…\(limit)") }
        if let th, th <= 0 || th > limit { throw ImagingError(.unsupported, "height must be 1…\(limit)") }
        let sx = tw.map { Double($0) / Double(w) }, sy = th.map { Double($0) / Double(h) }
        let scale = min(sx ?? .infinity, sy ?? .infinity)
        return (max(1, Int((Double(w) * scale).rounded())), max(1, Int((Double(h) * scale).rounded())))
    }
}

extension DICOMImage {
    /// Orthanc's /preview of frame `index`.
    public func preview(frame index: Int) throws(ImagingError) -> RenderedImage {
        try ImageRenderer.preview(decodeFrame(index), presentation: presentation)
    }

    /// Orthanc's /rendered of frame `index`.
    public func rendered(frame index: Int, options: ImageRenderer.Options = .init()) throws(ImagingError) -> RenderedImage {
        try ImageRenderer.rendered(decodeFrame(index), presentation: presentation, options: options)
    }

    /// Orthanc's /image-uint8, /image-uint16, /image-int16 of frame `index`.
    public func extract(frame index: Int, as type: ImageRenderer.Extraction) throws(ImagingError) -> RenderedImage {
        try ImageRenderer.extract(decodeFrame(index), as: type)
    }
}
