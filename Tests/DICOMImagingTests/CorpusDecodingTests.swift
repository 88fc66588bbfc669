import DICOM
import Foundation
import Testing
@testable import DICOMImaging

/// Every pixel-bearing corpus file against pydicom's decoding (pylibjpeg, pylibjpeg-openjpeg, pyjpegls).
@Suite struct CorpusDecodingTests {
    /// Transfer syntaxes decoded by the Swift JPEG decoder (JPEG extended 12-bit, JPEG lossless).
    static let swiftJPEGSyntaxes: Set<String> = ["1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"]

    /// Files with pixel data that cannot be decoded, and why (pydicom cannot decode them either).
    static let expectedFailures: [String: ImagingError.Code] = [
        // No Bits Allocated: the Image Pixel module is incomplete.
        "pydicom/meta_missing_tsyntax.dcm": .corrupt,
        "pydicom/nested_priv_SQ.dcm": .corrupt,
        // The J2K fragment holds a stray sequence delimiter where the codestream should start.
        "pydicom/JPEG2000-embedded-sequence-delimiter.dcm": .corrupt,
    ]

    /// Decodes every frame of `name`, or gives the error.
    static func decodeAll(_ name: String) throws -> (image: DICOMImage, frames: [PixelBuffer])? {
        guard let file = try? TestCorpus.read(name), file.dataSet.contains(.pixelData) else { return nil }
        let image = try DICOMImage(file: file)
        let frames = try (0 ..< image.numberOfFrames).map { try image.decodeFrame($0) }
        return (image, frames)
    }

    @Test func everyPixelBearingFileDecodesOrFailsAsExpected() throws {
        var failures: [String: ImagingError.Code] = [:]
        var decoded = 0
        for name in try TestCorpus.files() {
            guard let file = try? TestCorpus.read(name), file.dataSet.contains(.pixelData) else { continue }
            if let image = try? DICOMImage(file: file), Self.swiftJPEGSyntaxes.contains(image.transferSyntax.uid) { continue }  // see the test below
            do {
                _ = try Self.decodeAll(name)
                decoded += 1
            } catch let error as ImagingError {
                failures[name] = error.code
            }
        }
        #expect(failures == Self.expectedFailures)
        #expect(decoded > 140)
    }

    @Test func swiftJPEGFilesDecode() throws {
        // JPEG extended 12-bit and lossless need the Swift decoder in Sources/DICOMImaging/JPEG/.
        for name in try TestCorpus.files() {
            guard let file = try? TestCorpus.read(name), file.dataSet.contains(.pixelData),
                  let image = try? DICOMImage(file: file), Self.swiftJPEGSyntaxes.contains(image.transferSyntax.uid) else { continue }
            #expect(throws: Never.self, "\(name)") { _ = try Self.decodeAll(name) }
        }
    }

    /// Values as numpy holds them for `dtype` (samples keep Int32 bit patterns).
    static func converter(_ dtype: String) -> (Int32) -> Int64 {
        switch dtype {
        case "u1": return { Int64(UInt8(truncatingIfNeeded: $0)) }
        case "i1": return { Int64(Int8(truncatingIfNeeded: $0)) }
        case "u2": return { Int64(UInt16(truncatingIfNeeded: $0)) }
        case "i2": return { Int64(Int16(truncatingIfNeeded: $0)) }
        case "u4": return { Int64(UInt32(bitPattern: $0)) }
        default: return { Int64($0) }
        }
    }

    @Test func losslessFilesMatchPydicomSampleForSample() throws {
        let references = try TestCorpus.references()
        var compared = 0
        for (name, reference) in references.sorted(by: { $0.key < $1.key }) where reference.error == nil && reference.raw == nil {
            if Self.swiftJPEGSyntaxes.contains(reference.transferSyntax) { continue }
            guard let (image, frames) = try Self.decodeAll(name) else {
                Issue.record("\(name): not read as a pixel-bearing file")
                continue
            }
            #expect(image.numberOfFrames == reference.frames, "\(name)")
            guard let first = frames.first else { continue }
            #expect(first.width == reference.columns && first.height == reference.rows
                    && first.samplesPerPixel == reference.samplesPerPixel, "\(name): shape")
            var sum: Int64 = 0, weighted: Int64 = 0, index: Int64 = 0
            let convert = Self.converter(reference.dtype)
            for frame in frames {
                frame.samples.withUnsafeBufferPointer { samples in
                    for s in samples {
                        let v = convert(s)
                        sum &+= v
                        weighted &+= v &* (index % 9973 + 1)
                        index += 1
                    }
                }
            }
            #expect(sum == reference.sum && weighted == reference.weightedSum,
                    "\(name): samples differ from pydicom's (\(reference.transferSyntax), \(reference.photometric))")
            compared += 1
        }
        #expect(compared > 120)
    }

    @Test func lossyFilesMatchPydicomWithinTolerance() throws {
        let references = try TestCorpus.references()
        var comparedFiles = 0
        for (name, reference) in references.sorted(by: { $0.key < $1.key }) where reference.error == nil && reference.raw != nil {
            if Self.swiftJPEGSyntaxes.contains(reference.transferSyntax) { continue }
            // At most three frames: enough to catch a wrong decoder, cheap for 120-frame files.
            let samplesPerFrame = reference.rows * reference.columns * reference.samplesPerPixel
            let compared = min(reference.frames, 3)
            guard let file = try? TestCorpus.read(name),
                  var expected = TestCorpus.rawValues(reference, limit: compared * samplesPerFrame) else {
                Issue.record("\(name): reference samples or file missing")
                continue
            }
            let image = try DICOMImage(file: file)
            // Compare in RGB when either side kept YCbCr.
            let referenceIsYBR = reference.photometric.hasPrefix("YBR")
            var actual: [Int64] = []
            actual.reserveCapacity(expected.count)
            let convert = Self.converter(reference.dtype)
            for f in 0 ..< min(image.numberOfFrames, compared) {
                var mine = try image.decodeFrame(f)
                if ColorConversion.isYBR(mine.photometricInterpretation) { ColorConversion.ybrToRGB(&mine) }
                mine.samples.withUnsafeBufferPointer { for s in $0 { actual.append(convert(s)) } }
                if referenceIsYBR && reference.samplesPerPixel == 3 && expected.count >= (f + 1) * samplesPerFrame {
                    var theirs = PixelBuffer(width: reference.columns, height: reference.rows, samplesPerPixel: 3, bitsStored: 8,
                                             isSigned: false, photometricInterpretation: .ybrFull,
                                             samples: expected[f * samplesPerFrame ..< (f + 1) * samplesPerFrame].map { Int32($0) })
                    ColorConversion.ybrToRGB(&theirs)
                    expected.replaceSubrange(f * samplesPerFrame ..< (f + 1) * samplesPerFrame, with: theirs.samples.map { Int64($0) })
                }
            }
            guard actual.count == expected.count else {
                Issue.record("\(name): \(actual.count) samples, pydicom has \(expected.count)")
                continue
            }
            let range = Double((expected.max() ?? 0) - (expected.min() ?? 0))
            var total: Int64 = 0
            for i in actual.indices { total += abs(actual[i] - expected[i]) }
            let meanDifference = Double(total) / Double(max(1, actual.count))
            // 1.5 levels of 8 bits, scaled to the image's range for deeper images.
            let tolerance = reference.dtype == "u1" ? 1.5 : max(1.5, range * 1.5 / 255)
            #expect(meanDifference < tolerance, "\(name): mean absolute difference \(meanDifference)")
            comparedFiles += 1
        }
        #expect(comparedFiles > 15)
    }
}
