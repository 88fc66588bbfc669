import DICOM

/// Chooses the decoder of an encapsulated frame by transfer syntax (PS3.5 §8.2, Annex A.4).
enum FrameCodec {
    static func decode(_ frame: [UInt8], transferSyntax: TransferSyntax,
                       description d: ImagePixelDescription) throws(ImagingError) -> PixelBuffer {
        let limit = d.samplesPerFrame
        switch transferSyntax.uid {
        case "1.2.840.10008.1.2.1.98":
            return try NativeFrameDecoder.decode(frame, description: d)
        case TransferSyntax.rleLossless.uid:
            return try RLEDecoder.decode(frame, description: d)
        case TransferSyntax.jpegBaseline.uid:
            // libjpeg-turbo first for speed; the Swift decoder takes what libjpeg refuses.
            let keepRGB = d.photometricInterpretation == .rgb
            do {
                var buffer = try LibJPEGCodec.decode(frame, keepRGB: keepRGB, maxBytes: limit)
                if buffer.samplesPerPixel == 3 && keepRGB { buffer.photometricInterpretation = .rgb }
                return buffer
            } catch {
                if let buffer = try? swiftJPEG(frame, limit: limit) { return buffer }
                throw error
            }
        case TransferSyntax.jpegExtended.uid, TransferSyntax.jpegLossless.uid, TransferSyntax.jpegLosslessSV1.uid,
             "1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.55", "1.2.840.10008.1.2.4.58":
            do {
                return try swiftJPEG(frame, limit: limit)
            } catch {
                // 8-bit extended streams are within libjpeg's reach when the Swift decoder refuses them.
                if d.bitsAllocated == 8, let buffer = try? LibJPEGCodec.decode(frame, keepRGB: d.photometricInterpretation == .rgb,
                                                                              maxBytes: limit) {
                    return buffer
                }
                throw error
            }
        case TransferSyntax.jpegLSLossless.uid, TransferSyntax.jpegLSNearLossless.uid:
            return try JPEGLSCodec.decode(frame, maxSamples: limit)
        case TransferSyntax.jpeg2000Lossless.uid, TransferSyntax.jpeg2000.uid,
             "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93",
             "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203":
            return try JPEG2000Codec.decode(frame, maxSamples: limit)
        default:
            throw ImagingError(.unsupported, "decoding \(transferSyntax) is not supported")
        }
    }

    /// The pure-Swift JPEG decoder (12-bit, lossless), samples as stored (no colour conversion).
    private static func swiftJPEG(_ frame: [UInt8], limit: Int) throws(ImagingError) -> PixelBuffer {
        let image: JPEGDecodedImage
        do {
            image = try JPEGDecoder.decode(frame)
        } catch {
            throw ImagingError(.corrupt, "JPEG decoding failed: \(error.description)")
        }
        guard image.width > 0, image.height > 0, image.components == 1 || image.components == 3,
              image.width * image.height * image.components <= limit,
              image.samples.count == image.width * image.height * image.components else {
            throw ImagingError(.corrupt, "JPEG frame \(image.width) x \(image.height) x \(image.components) does not fit the image")
        }
        return PixelBuffer(width: image.width, height: image.height, samplesPerPixel: image.components,
                           bitsStored: image.precision, isSigned: false,
                           photometricInterpretation: image.components == 3 ? .other("AS STORED") : .monochrome2,
                           samples: image.samples.map { Int32($0) })
    }
}
