import DICOM

/// Splits encapsulated pixel data into frames (PS3.5 §A.4): by the Extended Offset Table, the Basic Offset Table,
/// one fragment per frame, or — with no table — by the codec's start-of-image markers.
enum EncapsulatedFrames {
    static func frame(_ index: Int, of pixels: EncapsulatedPixelData, frameCount: Int,
                      extendedOffsets: [UInt64]?, extendedLengths: [UInt64]?) throws(ImagingError) -> [UInt8] {
        guard index >= 0, index < frameCount else {
            throw ImagingError(.noSuchFrame, "frame \(index) does not exist (the image has \(frameCount))")
        }
        let fragments = pixels.fragments
        guard !fragments.isEmpty else { throw ImagingError(.corrupt, "encapsulated pixel data has no fragments") }

        if let offsets = extendedOffsets, let lengths = extendedLengths, offsets.count == frameCount,
           lengths.count == frameCount {
            return try byExtendedTable(index, fragments: fragments, offset: offsets[index], length: lengths[index])
        }
        let table = pixels.frameOffsets
        if !table.isEmpty {
            guard table.count == frameCount else {
                throw ImagingError(.corrupt, "the Basic Offset Table lists \(table.count) frames, Number of Frames says \(frameCount)")
            }
            return try byBasicTable(index, fragments: fragments, table: table)
        }
        if frameCount == 1 { return concatenate(fragments[...]) }
        if fragments.count == frameCount { return fragments[index] }
        // No table, more fragments than frames: a frame starts where a fragment starts with a start-of-image marker.
        let starts = fragments.indices.filter { startsImage(fragments[$0]) }
        guard starts.count == frameCount, starts.first == 0 else {
            throw ImagingError(.corrupt, "cannot tell the \(frameCount) frames apart among \(fragments.count) fragments without an offset table")
        }
        let end = index + 1 < starts.count ? starts[index + 1] : fragments.count
        return concatenate(fragments[starts[index] ..< end])
    }

    /// JPEG SOI, JPEG 2000 codestream SOC+SIZ, or the JP2 signature box.
    static func startsImage(_ fragment: [UInt8]) -> Bool {
        if fragment.count >= 3, fragment[0] == 0xFF, fragment[1] == 0xD8, fragment[2] == 0xFF { return true }
        if fragment.count >= 4, fragment[0] == 0xFF, fragment[1] == 0x4F, fragment[2] == 0xFF, fragment[3] == 0x51 {
            return true
        }
        return fragment.count >= 8 && fragment[4 ..< 8].elementsEqual([0x6A, 0x50, 0x20, 0x20])
    }

    private static func concatenate(_ fragments: ArraySlice<[UInt8]>) -> [UInt8] {
        if fragments.count == 1, let only = fragments.first { return only }
        var out: [UInt8] = []
        out.reserveCapacity(fragments.reduce(0) { $0 + $1.count })
        for f in fragments { out.append(contentsOf: f) }
        return out
    }

    /// Offsets count from the first byte of the first fragment's item tag; each item adds an 8-byte header.
    private static func fragmentStarts(_ fragments: [[UInt8]]) -> [UInt64] {
        var starts: [UInt64] = []
        starts.reserveCapacity(fragments.count)
        var position: UInt64 = 0
        for f in fragments {
            starts.append(position)
            position += 8 + UInt64(f.count)
        }
        return starts
    }

    private static func byBasicTable(_ index: Int, fragments: [[UInt8]], table: [UInt32]) throws(ImagingError) -> [UInt8] {
        let starts = fragmentStarts(fragments)
        let begin = UInt64(table[index])
        let end = index + 1 < table.count ? UInt64(table[index + 1]) : UInt64.max
        guard end > begin else { throw ImagingError(.corrupt, "the Basic Offset Table is not increasing at frame \(index)") }
        let selected = fragments.indices.filter { starts[$0] >= begin && starts[$0] < end }
        guard let first = selected.first, starts[first] == begin else {
            throw ImagingError(.corrupt, "the Basic Offset Table entry of frame \(index) does not point at a fragment")
        }
        return concatenate(fragments[first ... selected[selected.count - 1]])
    }

    private static func byExtendedTable(_ index: Int, fragments: [[UInt8]], offset: UInt64,
                                        length: UInt64) throws(ImagingError) -> [UInt8] {
        let starts = fragmentStarts(fragments)
        guard let first = starts.firstIndex(of: offset) else {
            throw ImagingError(.corrupt, "the Extended Offset Table entry of frame \(index) does not point at a fragment")
        }
        var out: [UInt8] = []
        var remaining = length
        var i = first
        while remaining > 0, i < fragments.count {
            let take = Int(min(UInt64(fragments[i].count), remaining))
            out.append(contentsOf: fragments[i][0 ..< take])
            remaining -= UInt64(take)
            i += 1
        }
        guard remaining == 0 else {
            throw ImagingError(.corrupt, "frame \(index) is shorter than its Extended Offset Table length")
        }
        return out
    }
}
