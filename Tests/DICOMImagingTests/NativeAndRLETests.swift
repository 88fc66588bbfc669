import DICOM
import Testing
@testable import DICOMImaging

@Suite struct NativeAndRLETests {
    func description(rows: Int = 2, columns: Int = 2, samples: Int = 1, allocated: Int = 16, stored: Int = 12,
                     signed: Bool = false, planar: Bool = false, frames: Int = 1,
                     photometric: PhotometricInterpretation = .monochrome2) -> ImagePixelDescription {
        ImagePixelDescription(rows: rows, columns: columns, samplesPerPixel: samples, bitsAllocated: allocated,
                              bitsStored: stored, highBit: stored - 1, isSigned: signed, isPlanar: planar,
                              photometricInterpretation: photometric, numberOfFrames: frames)
    }

    @Test func storedBitsAreMaskedAndSignExtended() throws {
        // 12 bits stored in 16: 0xF800 has overlay bits above bit 11; 0x0FFF is -1 when signed.
        let bytes: [UInt8] = [0x00, 0xF8, 0xFF, 0x0F, 0x01, 0x00, 0x00, 0x08]
        let unsigned = try NativeFrameDecoder.decode(bytes, description: description())
        #expect(unsigned.samples == [0x800, 0xFFF, 1, 0x800])
        let signed = try NativeFrameDecoder.decode(bytes, description: description(signed: true))
        #expect(signed.samples == [-2048, -1, 1, -2048])
    }

    @Test func planarColourIsInterleaved() throws {
        let d = description(rows: 1, columns: 2, samples: 3, allocated: 8, stored: 8, planar: true, photometric: .rgb)
        let buffer = try NativeFrameDecoder.decode([1, 2, 3, 4, 5, 6], description: d)
        #expect(buffer.samples == [1, 3, 5, 2, 4, 6])
    }

    @Test func ybrFull422IsExpanded() throws {
        let d = description(rows: 1, columns: 2, samples: 3, allocated: 8, stored: 8, photometric: .ybrFull422)
        let buffer = try NativeFrameDecoder.decode([10, 20, 128, 130], description: d)
        #expect(buffer.samples == [10, 128, 130, 20, 128, 130])
        #expect(buffer.photometricInterpretation == .ybrFull)
    }

    @Test func oneBitFramesNeedNotStartOnAByte() throws {
        // Two 3x1 frames in one byte: frame 0 = bits 0-2 (1,0,1), frame 1 = bits 3-5 (1,1,0).
        let d = description(rows: 1, columns: 3, allocated: 1, stored: 1, frames: 2)
        let raw = try NativeFrameDecoder.rawFrame(1, of: [0b0001_1101], description: d)
        #expect(try NativeFrameDecoder.decode(raw, description: d).samples == [1, 1, 0])
        #expect(try NativeFrameDecoder.decode(NativeFrameDecoder.rawFrame(0, of: [0b0001_1101], description: d),
                                              description: d).samples == [1, 0, 1])
        #expect(throws: ImagingError(.noSuchFrame, "")) { try NativeFrameDecoder.rawFrame(2, of: [0], description: d) }
    }

    @Test func shortNativeDataIsCorrupt() {
        #expect(throws: ImagingError(.corrupt, "")) {
            try NativeFrameDecoder.rawFrame(1, of: [UInt8](repeating: 0, count: 12), description: description(frames: 2))
        }
    }

    /// An RLE frame: header with segment offsets, then each segment.
    func rleFrame(_ segments: [[UInt8]]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 64)
        func put(_ v: Int, at i: Int) { for k in 0 ..< 4 { header[i + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) } }
        put(segments.count, at: 0)
        var offset = 64
        for (i, s) in segments.enumerated() { put(offset, at: 4 + 4 * i); offset += s.count }
        return header + segments.flatMap { $0 }
    }

    @Test func rleCombinesBytePlanesMostSignificantFirst() throws {
        // 16-bit, 2x2: high bytes [1,1,1,1] as a repeat run, low bytes [2,3,4,5] as a literal run.
        let frame = rleFrame([[0xFD, 0x01], [0x03, 2, 3, 4, 5]])
        let buffer = try RLEDecoder.decode(frame, description: description(stored: 16))
        #expect(buffer.samples == [0x102, 0x103, 0x104, 0x105])
    }

    @Test func corruptRLEIsAnError() {
        let d = description(stored: 16)
        #expect(throws: ImagingError(.corrupt, "")) { try RLEDecoder.decode([1, 2, 3], description: d) }
        #expect(throws: ImagingError(.corrupt, "")) { try RLEDecoder.decode(rleFrame([[0xFD, 1]]), description: d) }
        #expect(throws: ImagingError(.corrupt, "")) {
            try RLEDecoder.decode(rleFrame([[0x7F, 1], [0x03, 2, 3, 4, 5]]), description: d)
        }
        #expect(throws: ImagingError(.corrupt, "")) {
            try RLEDecoder.decode(rleFrame([[0xFD, 0x01], [0x01, 2, 3]]), description: d)
        }
    }

    @Test func segmentedPaletteExpands() throws {
        // Discrete [0, 10], linear to 40 over 3 entries, then indirect copy of the first segment (byte offset 0).
        let words: [UInt16] = [0, 2, 0, 10, 1, 3, 40, 2, 1, 0, 0]
        let table = try PaletteColorLUT.expandSegmented(words, limit: 100)
        #expect(table == [0, 10, 20, 30, 40, 0, 10])
        #expect(throws: ImagingError(.corrupt, "")) { try PaletteColorLUT.expandSegmented([1, 3, 40], limit: 100) }
        #expect(throws: ImagingError(.corrupt, "")) { try PaletteColorLUT.expandSegmented([0, 200, 1], limit: 100) }
    }
}
