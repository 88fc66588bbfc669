import DICOM
import DICOMImaging
import Foundation
import Testing

/// The corpus' JPEG frames against pylibjpeg-libjpeg's decodes (TestData/reference-jpeg.json).
@Suite struct JPEGCorpusTests {
    @Test func sha256MatchesKnownDigest() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func losslessFramesAreExact() throws {
        try #require(JPEGTestData.hasCorpus, JPEGTestData.missingCorpus)
        let reference = try #require(JPEGTestData.reference, JPEGTestData.missingReference)
        var compared = 0
        for file in reference.files where file.kind == "lossless" {
            let frames = try JPEGTestData.frames(of: JPEGTestData.corpus.appendingPathComponent(file.file))
            for expected in file.frames {
                guard expected.error == nil, let sha = expected.sha256 else { continue }
                try #require(expected.index < frames.count, "\(file.file): frame \(expected.index) missing")
                let image = try JPEGDecoder.decode(frames[expected.index])
                #expect(image.width == expected.width && image.height == expected.height
                        && image.components == expected.components, "\(file.file) frame \(expected.index) shape")
                #expect(SHA256.hex(JPEGTestData.littleEndianBytes(image.samples)) == sha,
                        "\(file.file) frame \(expected.index): samples differ from pylibjpeg-libjpeg")
                compared += 1
            }
        }
        #expect(compared >= 4, "expected several lossless frames in the corpus, compared \(compared)")
    }

    @Test func lossyFramesAreClose() throws {
        try #require(JPEGTestData.hasCorpus, JPEGTestData.missingCorpus)
        let reference = try #require(JPEGTestData.reference, JPEGTestData.missingReference)
        var compared = 0, sampled = 0
        for file in reference.files where file.kind != "lossless" {
            let frames = try JPEGTestData.frames(of: JPEGTestData.corpus.appendingPathComponent(file.file))
            // Multi-frame files: a few frames are enough (debug builds decode slowly).
            for expected in file.frames where expected.index < 2 || expected.index == file.frames.count - 1 {
                guard expected.index < frames.count else { continue }
                guard expected.error == nil, let means = expected.mean, let width = expected.width,
                      let height = expected.height, let components = expected.components else {
                    // The reference could not decode it: only require that decoding ends, either way.
                    _ = try? JPEGDecoder.decode(frames[expected.index])
                    continue
                }
                let image = try JPEGDecoder.decode(frames[expected.index])
                try #require(image.width == width && image.height == height && image.components == components,
                             "\(file.file) frame \(expected.index): \(image.width)x\(image.height)x\(image.components)")
                let tolerance = image.precision > 8 ? 8 : 2
                // Upsampling filters differ slightly between decoders: allow a few samples just past the bound.
                let subsampled = JPEGTestData.isSubsampled(frames[expected.index])
                for c in 0..<components {
                    var sum = 0.0
                    for i in stride(from: c, to: image.samples.count, by: components) { sum += Double(image.samples[i]) }
                    let mean = sum / Double(width * height)
                    #expect(abs(mean - means[c]) < 0.5, "\(file.file) frame \(expected.index) component \(c) mean \(mean) vs \(means[c])")
                }
                if let values = expected.sampleValues {
                    try #require(values.count == image.samples.count)
                    var maxDiff = 0, total = 0, beyond = 0
                    for (a, b) in zip(values, image.samples) {
                        let d = abs(Int(a) - Int(b))
                        maxDiff = max(maxDiff, d)
                        total += d
                        if d > tolerance { beyond += 1 }
                    }
                    let meanDiff = Double(total) / Double(values.count)
                    let allowedBeyond = subsampled ? values.count / 10_000 : 0
                    #expect(beyond <= allowedBeyond && maxDiff <= tolerance + (subsampled ? 2 : 0) && meanDiff < 0.5,
                            "\(file.file) frame \(expected.index): max diff \(maxDiff), \(beyond) beyond \(tolerance), mean diff \(meanDiff)")
                    sampled += 1
                }
                compared += 1
            }
        }
        #expect(compared >= 20 && sampled >= 15, "compared \(compared) frames, \(sampled) sample by sample")
    }
}
