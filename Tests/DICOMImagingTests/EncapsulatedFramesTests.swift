import DICOM
import Testing
@testable import DICOMImaging

@Suite struct EncapsulatedFramesTests {
    // Three frames; frame 1 spans two fragments. Fragment item starts: 0, 8+4=12, 12+8+3=23, 23+8+2=33.
    let fragments: [[UInt8]] = [[0xFF, 0xD8, 0xFF, 1], [0xFF, 0xD8, 0xFF], [2, 3], [0xFF, 0xD8, 0xFF, 4, 5, 6]]

    func table(_ offsets: [UInt32]) -> [UInt8] {
        offsets.flatMap { v in (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }

    @Test func basicOffsetTableGroupsFragments() throws {
        let pixels = EncapsulatedPixelData(basicOffsetTable: table([0, 12, 33]), fragments: fragments)
        let frame1 = try EncapsulatedFrames.frame(1, of: pixels, frameCount: 3, extendedOffsets: nil, extendedLengths: nil)
        #expect(frame1 == [0xFF, 0xD8, 0xFF, 2, 3])
        let frame2 = try EncapsulatedFrames.frame(2, of: pixels, frameCount: 3, extendedOffsets: nil, extendedLengths: nil)
        #expect(frame2 == [0xFF, 0xD8, 0xFF, 4, 5, 6])
    }

    @Test func withoutTableFramesStartAtStartOfImageMarkers() throws {
        let pixels = EncapsulatedPixelData(fragments: fragments)
        let frame1 = try EncapsulatedFrames.frame(1, of: pixels, frameCount: 3, extendedOffsets: nil, extendedLengths: nil)
        #expect(frame1 == [0xFF, 0xD8, 0xFF, 2, 3])
        let single = try EncapsulatedFrames.frame(0, of: pixels, frameCount: 1, extendedOffsets: nil, extendedLengths: nil)
        #expect(single.count == 15)
    }

    @Test func extendedOffsetTableTakesPrecedence() throws {
        let pixels = EncapsulatedPixelData(basicOffsetTable: [], fragments: fragments)
        let frame = try EncapsulatedFrames.frame(1, of: pixels, frameCount: 3,
                                                 extendedOffsets: [0, 12, 33], extendedLengths: [4, 5, 6])
        #expect(frame == [0xFF, 0xD8, 0xFF, 2, 3])
    }

    @Test func badTablesAndFrameNumbersAreErrors() {
        let pixels = EncapsulatedPixelData(basicOffsetTable: table([0, 13, 33]), fragments: fragments)
        #expect(throws: ImagingError(.corrupt, "")) {
            try EncapsulatedFrames.frame(1, of: pixels, frameCount: 3, extendedOffsets: nil, extendedLengths: nil)
        }
        #expect(throws: ImagingError(.noSuchFrame, "")) {
            try EncapsulatedFrames.frame(3, of: pixels, frameCount: 3, extendedOffsets: nil, extendedLengths: nil)
        }
        let noMarkers = EncapsulatedPixelData(fragments: [[1], [2], [3]])
        #expect(throws: ImagingError(.corrupt, "")) {
            try EncapsulatedFrames.frame(0, of: noMarkers, frameCount: 2, extendedOffsets: nil, extendedLengths: nil)
        }
        #expect(throws: ImagingError(.corrupt, "")) {
            try EncapsulatedFrames.frame(0, of: pixels, frameCount: 3, extendedOffsets: [0, 12, 33], extendedLengths: [99, 5, 6])
        }
    }
}
