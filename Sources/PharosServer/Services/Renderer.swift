import DICOM
import DICOMImaging
import Foundation
import NIOPosix

/// Decodes and renders the frames of stored instances for the imaging routes (`/frames`, `/preview`, `/rendered`,
/// `/image-*`, `/matlab`, `/numpy`, `/pdf`), off the event loops and at most one decode per core at a time.
struct Renderer: Sendable {
    let instanceData: InstanceData
    let pool: DecodePool

    init(instanceData: InstanceData, concurrentDecodes: Int = DecodePool.defaultWidth) {
        self.instanceData = instanceData
        pool = DecodePool(width: concurrentDecodes)
    }

    /// An encoded answer: bytes and their media type.
    struct Encoded: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    /// The image formats /preview and /rendered can answer, chosen from `Accept`.
    enum ImageFormat: Sendable {
        case png
        case jpeg(quality: Int)
    }

    /// Orthanc's frame indices of an instance: 0 ..< Number of Frames (1 when the attribute is absent), read from
    /// the header without touching pixel data.
    func frameCount(ofInstance id: String) async throws -> Int {
        let dataSet = try await instanceData.dataSet(ofInstance: id)
        guard let text = dataSet.string(.numberOfFrames),
              let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else { return 1 }
        return n
    }

    /// The instance read with its pixel data (parsed in the pool: a large file is CPU work).
    func image(ofInstance id: String) async throws -> DICOMImage {
        let bytes = try await instanceData.fileBytes(ofInstance: id)
        return try await pool.run { try DICOMImage(file: DICOMFile.read(bytes: bytes)) }
    }

    /// Frame `frame` as stored, with the media type Orthanc gives it.
    func rawFrame(ofInstance id: String, frame: Int) async throws -> Encoded {
        let image = try await image(ofInstance: id)
        let bytes = try await pool.run { try image.rawFrame(frame) }
        return Encoded(bytes: bytes, contentType: Self.rawMediaType(image.transferSyntax))
    }

    /// Orthanc labels JPEG baseline frames `image/jpeg` and JPEG 2000 codestreams `image/jp2`; everything else is
    /// `application/octet-stream`.
    static func rawMediaType(_ syntax: TransferSyntax) -> String {
        switch syntax.uid {
        case TransferSyntax.jpegBaseline.uid: return "image/jpeg"
        case TransferSyntax.jpeg2000Lossless.uid, TransferSyntax.jpeg2000.uid: return "image/jp2"
        default: return "application/octet-stream"
        }
    }

    /// `/preview`: the frame stretched to its full range, as PNG or JPEG.
    func preview(ofInstance id: String, frame: Int, format: ImageFormat) async throws -> Encoded {
        let image = try await image(ofInstance: id)
        return try await pool.run { try Self.encode(image.preview(frame: frame), format) }
    }

    /// `/rendered`: rescaled and windowed (request, else file, else Orthanc's bit-depth default), then fitted.
    func rendered(ofInstance id: String, frame: Int, options: ImageRenderer.Options,
                  format: ImageFormat) async throws -> Encoded {
        let image = try await image(ofInstance: id)
        return try await pool.run {
            let options = Self.orthancWindow(options, image: image)
            return try Self.encode(image.rendered(frame: frame, options: options), format)
        }
    }

    /// Resolves the window the way Orthanc 1.10.1 does and compensates for rounding. Orthanc truncates
    /// `(value - low) * 255 / width` where the imaging module rounds; moving the centre up by width/510 (half an
    /// output step) makes rounding give the truncated value. With no window in the request or the file, Orthanc
    /// windows over the stored bit depth, [0, 2^BitsStored] (a 1-bit image over [0, 1]), not the frame's range.
    static func orthancWindow(_ requested: ImageRenderer.Options, image: DICOMImage) -> ImageRenderer.Options {
        var options = requested
        guard image.samplesPerPixel == 1, image.photometricInterpretation != .paletteColor else { return options }
        var center: Double, width: Double
        if let c = requested.windowCenter, let w = requested.windowWidth, w > 0 {
            (center, width) = (c, w)
        } else if let first = image.presentation.windows.first {
            (center, width) = (first.center, first.width)
        } else if image.bitsStored <= 1 {
            (center, width) = (0.5, 1)
        } else {
            let bits = min(image.bitsStored, 32)
            (center, width) = (Double(UInt64(1) << (bits - 1)), Double(UInt64(1) << bits))
        }
        // A hair under half a step, so that values landing exactly on a step after float error still truncate.
        options.windowCenter = center + width / 255 * (0.5 - 1e-6)
        options.windowWidth = width
        return options
    }

    /// `/image-uint8`, `/image-uint16`, `/image-int16`: stored values clamped to the type, as PNG.
    /// Colour and palette images are refused (415), as Orthanc does.
    func extract(ofInstance id: String, frame: Int, as type: ImageRenderer.Extraction) async throws -> Encoded {
        let image = try await image(ofInstance: id)
        guard image.samplesPerPixel == 1, image.photometricInterpretation != .paletteColor else {
            throw ImagingError(.unsupported, "/image-uint8, /image-uint16 and /image-int16 are for grayscale images; use /preview or /numpy")
        }
        return try await pool.run {
            Encoded(bytes: PNGEncoder.encode(try image.extract(frame: frame, as: type)), contentType: "image/png")
        }
    }

    /// `/matlab`: the frame as a MATLAB/Octave expression (Orthanc's text format).
    func matlab(ofInstance id: String, frame: Int) async throws -> String {
        let image = try await image(ofInstance: id)
        return try await pool.run {
            if image.photometricInterpretation == .paletteColor {
                return MatlabText.colour(try image.preview(frame: frame))
            }
            if image.samplesPerPixel == 3 {
                return MatlabText.colour(try image.extract(frame: frame, as: .uint8))
            }
            return MatlabText.grayscale(try image.decodeFrame(frame))
        }
    }

    /// `/numpy`: one frame (rows, columns, samples) or all frames stacked; `rescale` gives float32 modality values
    /// for grayscale images (Orthanc's default); `compress` wraps the array in a `.npz` archive.
    func numpy(ofInstance id: String, frame: Int?, rescale: Bool, compress: Bool) async throws -> [UInt8] {
        let image = try await image(ofInstance: id)
        return try await pool.run {
            let indices = frame.map { [$0] } ?? Array(0 ..< image.numberOfFrames)
            let frames = try indices.map { try Self.arrayFrame(image, $0) }
            return try Self.npy(frames, image: image, rescale: rescale, stack: frame == nil, compress: compress)
        }
    }

    /// `/series/{id}/numpy`: the frames of `slices` (in order) stacked in one array.
    func numpy(ofSlices slices: [OrderedSlices.Slice], rescale: Bool, compress: Bool) async throws -> [UInt8] {
        var frames: [PixelBuffer] = []
        var first: DICOMImage?
        for slice in slices {
            let image = try await image(ofInstance: slice.instanceID)
            if first == nil { first = image }
            frames += try await pool.run {
                try (slice.firstFrame ..< slice.firstFrame + slice.frameCount).map { try Self.arrayFrame(image, $0) }
            }
        }
        guard let image = first else { throw ImagingError(.noPixelData, "the series has no image") }
        let decoded = frames
        return try await pool.run { try Self.npy(decoded, image: image, rescale: rescale, stack: true, compress: compress) }
    }

    /// A frame's samples for /numpy: stored values, or RGB through the palette of a PALETTE COLOR image.
    private static func arrayFrame(_ image: DICOMImage, _ index: Int) throws(ImagingError) -> PixelBuffer {
        guard image.photometricInterpretation == .paletteColor else { return try image.decodeFrame(index) }
        let rgb = try image.preview(frame: index)
        return PixelBuffer(width: rgb.width, height: rgb.height, samplesPerPixel: 3, bitsStored: 8, isSigned: false,
                           photometricInterpretation: .rgb, samples: rgb.bytes.map { Int32($0) })
    }

    private static func npy(_ frames: [PixelBuffer], image: DICOMImage, rescale: Bool, stack: Bool,
                            compress: Bool) throws -> [UInt8] {
        let grayscale = image.samplesPerPixel == 1 && image.photometricInterpretation != .paletteColor
        let array = try NumpyArray(frames: frames, presentation: image.presentation, rescale: rescale && grayscale,
                                   stackFrames: stack)
        let npy = array.npy()
        return compress ? try AnswerCompression.npz(npy, name: "arr_0.npy") : npy
    }

    /// `/pdf`: the document of an Encapsulated PDF instance; 404 for any other instance, as Orthanc.
    func pdf(ofInstance id: String) async throws -> [UInt8] {
        let bytes = try await instanceData.fileBytes(ofInstance: id)
        return try await pool.run {
            let dataSet = try DICOMFile.read(bytes: bytes).dataSet
            let sopClass = dataSet.string(.sopClassUID)?.trimmingCharacters(in: .whitespaces)
            guard sopClass == "1.2.840.10008.5.1.4.1.1.104.1",
                  let document = dataSet[Tag(0x0042, 0x0011)]?.bytes, !document.isEmpty else {
                throw RESTError(.unknownResource, "This instance is not an Encapsulated PDF document")
            }
            // The value is padded to an even length: drop what follows the PDF's end marker.
            return PDFDocument.trimmed(document)
        }
    }

    static func encode(_ image: RenderedImage, _ format: ImageFormat) throws(ImagingError) -> Encoded {
        switch format {
        case .png: return Encoded(bytes: PNGEncoder.encode(image), contentType: "image/png")
        case .jpeg(let quality):
            return Encoded(bytes: try JPEGEncoder.encode(image, quality: quality), contentType: "image/jpeg")
        }
    }
}

/// A PDF document held in Encapsulated Document (0042,0011).
enum PDFDocument {
    /// The document without the padding after its last `%%EOF` (a NUL or space added for an even length).
    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0 { end -= 1 }
        return Array(bytes[..<end])
    }
}

/// Runs blocking decode work on NIO's blocking thread pool, at most `width` at once; callers beyond that wait in line.
/// Decoding a 512x512 JPEG 2000 frame takes tens of milliseconds: on the event loops it would stall every client.
final class DecodePool: Sendable {
    /// One decode per core: more only adds memory and context switches.
    static var defaultWidth: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    private let gate: Gate

    init(width: Int) { gate = Gate(width: max(1, width)) }

    /// Runs `body` off the event loops once a slot is free.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        await gate.enter()
        do {
            let value = try await NIOThreadPool.singleton.runIfActive(body)
            await gate.leave()
            return value
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// A counting semaphore whose waiters are resumed in arrival order.
    private actor Gate {
        let width: Int
        private var busy = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(width: Int) { self.width = width }

        func enter() async {
            if busy < width {
                busy += 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty {
                busy -= 1
            } else {
                // The slot passes straight to the next waiter.
                waiting.removeFirst().resume()
            }
        }
    }
}
