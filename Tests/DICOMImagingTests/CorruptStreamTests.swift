import DICOM
import Testing
@testable import DICOMImaging

/// Truncated and damaged codestreams from real files give an ImagingError, never a crash.
@Suite struct CorruptStreamTests {
    static let samples = [
        "pydicom/MR_small_jp2klossless.dcm", "pydicom/MR_small_jpeg_ls_lossless.dcm", "pydicom/SC_rgb_jpeg_dcmtk.dcm",
        "pydicom/MR_small_RLE.dcm", "pydicom/SC_rgb_rle.dcm", "pydicom/examples_jpeg2k.dcm", "pydicom/SC_rgb_jls_lossy_line.dcm",
    ]

    func frame(_ name: String) throws -> (DICOMImage, [UInt8]) {
        let file = try TestCorpus.read(name)
        let image = try DICOMImage(file: file)
        return (image, try image.rawFrame(0))
    }

    @Test(arguments: samples) func truncatedStreamsAreErrors(_ name: String) throws {
        let (image, bytes) = try frame(name)
        for keep in [0, 2, 16, bytes.count / 3, bytes.count / 2, bytes.count - 16] {
            #expect(throws: ImagingError.self, "\(name) cut to \(keep) bytes") {
                try FrameCodec.decode(Array(bytes.prefix(keep)), transferSyntax: image.transferSyntax, description: image.pixel)
            }
        }
    }

    @Test(arguments: samples) func damagedStreamsDoNotCrash(_ name: String) throws {
        let (image, bytes) = try frame(name)
        var generator = SystemRandomNumberGenerator()
        for round in 0 ..< 40 {
            var damaged = bytes
            // Overwrite a few bytes, header included in half of the rounds.
            let from = round % 2 == 0 ? 0 : bytes.count / 4
            for _ in 0 ..< 1 + round % 8 {
                damaged[Int.random(in: from ..< bytes.count, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
            }
            // Decoding may succeed with wrong pixels; it must come back either way, with the right size when it does.
            if let buffer = try? FrameCodec.decode(damaged, transferSyntax: image.transferSyntax, description: image.pixel) {
                #expect(buffer.samples.count == buffer.width * buffer.height * buffer.samplesPerPixel)
            }
        }
    }

    @Test func jpegLSStreamsWithoutEndMarkerGetOne() throws {
        // A cut stream gets an EOI for CharLS to stop at; complete streams, padded or not, are passed as they are.
        #expect(JPEGLSCodec.terminated([0xFF, 0xD8, 0x12, 0x34]) == [0xFF, 0xD8, 0x12, 0x34, 0xFF, 0xD9])
        #expect(JPEGLSCodec.terminated([0xFF, 0xD8, 0x12, 0xFF, 0xD9]) == [0xFF, 0xD8, 0x12, 0xFF, 0xD9])
        #expect(JPEGLSCodec.terminated([0xFF, 0xD8, 0xFF, 0xD9, 0x00]) == [0xFF, 0xD8, 0xFF, 0xD9, 0x00])
        #expect(JPEGLSCodec.terminated([]) == [0xFF, 0xD9])
        let (_, bytes) = try frame("pydicom/MR_small_jpeg_ls_lossless.dcm")
        #expect(JPEGLSCodec.terminated(bytes) == bytes)
    }

    @Test func missingFramesAndPixelDataAreTheirOwnErrors() throws {
        let (image, _) = try frame("pydicom/MR_small_RLE.dcm")
        #expect(throws: ImagingError(.noSuchFrame, "")) { try image.decodeFrame(1) }
        #expect(throws: ImagingError(.noSuchFrame, "")) { try image.rawFrame(-1) }
        var dataSet = try TestCorpus.read("pydicom/MR_small.dcm").dataSet
        _ = dataSet.remove(.pixelData)
        #expect(throws: ImagingError(.noPixelData, "")) { try DICOMImage(dataSet: dataSet, transferSyntax: .explicitVRLittleEndian) }
        #expect(ImagingError(.noSuchFrame, "").httpStatus == 404)
        #expect(ImagingError(.unsupported, "").httpStatus == 415)
    }
}
