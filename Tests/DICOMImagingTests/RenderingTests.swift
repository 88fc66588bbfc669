import DICOM
import Foundation
import Testing
@testable import DICOMImaging

@Suite struct RenderingTests {
    func gray(_ samples: [Int32], width: Int, photometric: PhotometricInterpretation = .monochrome2,
              signed: Bool = true, bits: Int = 16) -> PixelBuffer {
        PixelBuffer(width: width, height: samples.count / width, samplesPerPixel: 1, bitsStored: bits, isSigned: signed,
                    photometricInterpretation: photometric, samples: samples)
    }

    var plain: PresentationAttributes { PresentationAttributes(dataSet: DataSet()) }

    @Test func previewStretchesTheFullRangeAndInvertsMonochrome1() throws {
        let buffer = gray([-1000, 0, 1000, 3000], width: 2)
        let preview = try ImageRenderer.preview(buffer, presentation: plain)
        #expect(preview.format == .grayscale8)
        #expect(preview.bytes == [0, 64, 128, 255])
        var inverted = buffer
        inverted.photometricInterpretation = .monochrome1
        #expect(try ImageRenderer.preview(inverted, presentation: plain).bytes == [255, 191, 127, 0])
    }

    @Test func renderedAppliesRescaleAndWindow() throws {
        var presentation = plain
        presentation.rescaleSlope = 2
        presentation.rescaleIntercept = -100
        presentation.windows = [(center: 100, width: 200)]
        // Rescaled values -100, 100, 300, 0 against window 0…200.
        let buffer = gray([0, 100, 200, 50], width: 2)
        #expect(try ImageRenderer.rendered(buffer, presentation: presentation).bytes == [0, 128, 255, 0])
        let explicit = ImageRenderer.Options(windowCenter: 300, windowWidth: 10)
        #expect(try ImageRenderer.rendered(buffer, presentation: presentation, options: explicit).bytes == [0, 0, 128, 0])
    }

    @Test func renderedScalesKeepingTheAspectRatio() throws {
        let buffer = gray((0 ..< 200).map { Int32($0) }, width: 20)
        let half = try ImageRenderer.rendered(buffer, presentation: plain, options: .init(width: 10))
        #expect(half.width == 10 && half.height == 5)
        let smooth = try ImageRenderer.rendered(buffer, presentation: plain, options: .init(height: 20, smooth: true))
        #expect(smooth.width == 40 && smooth.height == 20 && smooth.bytes.count == 800)
        #expect(throws: ImagingError(.unsupported, "")) {
            try ImageRenderer.rendered(buffer, presentation: plain, options: .init(width: 0))
        }
    }

    @Test func extractionClampsToTheType() throws {
        let buffer = gray([-5, 100, 300, 70000], width: 2, bits: 32)
        #expect(try ImageRenderer.extract(buffer, as: .uint8).bytes == [0, 100, 255, 255])
        let u16 = try ImageRenderer.extract(buffer, as: .uint16)
        #expect(u16.bytes == [0, 0, 100, 0, 0x2C, 0x01, 0xFF, 0xFF])
        let i16 = try ImageRenderer.extract(buffer, as: .int16)
        #expect(i16.format == .signedGrayscale16 && i16.bytes == [0xFB, 0xFF, 100, 0, 0x2C, 0x01, 0xFF, 0x7F])
    }

    @Test func ybrIsConvertedToRGB() throws {
        let buffer = PixelBuffer(width: 1, height: 1, samplesPerPixel: 3, bitsStored: 8, isSigned: false,
                                 photometricInterpretation: .ybrFull, samples: [76, 85, 255])
        let image = try ImageRenderer.preview(buffer, presentation: plain)
        #expect(image.format == .rgb24)
        #expect(abs(Int(image.bytes[0]) - 255) <= 1 && image.bytes[1] <= 1 && image.bytes[2] <= 1)
    }

    @Test func pngRoundTripsEightAndSixteenBits() throws {
        let rgb = RenderedImage(width: 3, height: 2, format: .rgb24, bytes: (0 ..< 18).map { UInt8($0 * 13) })
        let decoded = try DecodedPNG(PNGEncoder.encode(rgb))
        #expect(decoded.width == 3 && decoded.height == 2 && decoded.colorType == 2 && decoded.bitDepth == 8)
        #expect(decoded.pixels == rgb.bytes)
        let deep = RenderedImage(width: 2, height: 2, format: .grayscale16, bytes: [0x34, 0x12, 0xFF, 0x00, 0x00, 0x80, 1, 2])
        let decoded16 = try DecodedPNG(PNGEncoder.encode(deep))
        #expect(decoded16.bitDepth == 16 && decoded16.colorType == 0)
        #expect(decoded16.pixels == [0x12, 0x34, 0x00, 0xFF, 0x80, 0x00, 2, 1])
    }

    @Test func jpegEncodingRoundTripsThroughLibjpeg() throws {
        let pixels = (0 ..< 64 * 64).map { UInt8(($0 % 64) * 4) }
        let image = RenderedImage(width: 64, height: 64, format: .grayscale8, bytes: pixels)
        let jpeg = try JPEGEncoder.encode(image, quality: 95)
        #expect(jpeg.starts(with: [0xFF, 0xD8]))
        let back = try LibJPEGCodec.decode(jpeg, keepRGB: false, maxBytes: 1 << 20)
        #expect(back.width == 64 && back.height == 64)
        let diff = zip(back.samples, pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / pixels.count
        #expect(diff <= 2)
        #expect(throws: ImagingError(.unsupported, "")) { try JPEGEncoder.encode(image, quality: 0) }
    }

    @Test func numpyHeaderIsAlignedAndDescribesTheArray() throws {
        let buffer = gray([1, -2, 3, 4, 5, 6], width: 3)
        let array = try NumpyArray(frames: [buffer], presentation: plain, rescale: false, stackFrames: false)
        #expect(array.dtype == "<i2" && array.shape == [2, 3, 1])
        let npy = array.npy()
        let headerLength = Int(npy[8]) | Int(npy[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: npy[10 ..< 10 + headerLength], as: UTF8.self)
        #expect(header.contains("'shape': (2, 3, 1)") && header.hasSuffix("\n"))
        #expect(Array(npy[(10 + headerLength)...]) == [1, 0, 0xFE, 0xFF, 3, 0, 4, 0, 5, 0, 6, 0])
        var presentation = plain
        presentation.rescaleSlope = 0.5
        let floats = try NumpyArray(frames: [buffer, buffer], presentation: presentation, rescale: true)
        #expect(floats.dtype == "<f4" && floats.shape == [2, 2, 3, 1] && floats.data.count == 48)
        #expect(Array(floats.data[4 ..< 8]) == Array(withUnsafeBytes(of: Float(-1).bitPattern.littleEndian, Array.init)))
    }
}
