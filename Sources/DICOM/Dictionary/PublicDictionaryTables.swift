/// Lookup tables of the public dictionary, built once from the generated text on first use.
final class PublicDictionaryTables: Sendable {
    /// Every entry, sorted by tag then mask.
    let all: [DictionaryEntry]
    let byKeyword: [String: Int32]
    /// Tag to index in `all`, for the per-element lookups of parsing.
    let index: TagIndex

    /// `static let` gives a thread-safe lazy initialisation.
    static let shared = PublicDictionaryTables(text: DictionaryData.publicEntries)
    /// The index alone, reachable without retaining the tables.
    static let fastIndex = shared.index

    init(text: String) {
        var vrCache: [UInt64: [VR]] = [:]
        var all: [DictionaryEntry] = []
        all.reserveCapacity(DictionaryData.publicEntryCount)
        DictionaryData.forEachRow(text) { row in
            guard row.count >= 6, let value = row.hex(0) else { return }
            all.append(DictionaryEntry(
                tag: Tag(rawValue: value), mask: row.isEmpty(1) ? ~0 : (row.hex(1) ?? ~0),
                vrs: row.vrs(2, cache: &vrCache), vm: row.string(3), keyword: row.string(4),
                isRetired: row.isFlag(5, "R")))
        }
        var byKeyword: [String: Int32] = [:]
        byKeyword.reserveCapacity(all.count + 600)
        for (index, entry) in all.enumerated() where byKeyword[entry.keyword] == nil {
            // A range split into several blocks keeps its first (lowest) block under the keyword.
            byKeyword[entry.keyword] = Int32(index)
        }
        // Retired keywords also answer without DCMTK's prefix, unless a current keyword has that name.
        let prefix = "RETIRED_"
        for (index, entry) in all.enumerated() where entry.keyword.hasPrefix(prefix) {
            let plain = String(entry.keyword.dropFirst(prefix.count))
            if byKeyword[plain] == nil { byKeyword[plain] = Int32(index) }
        }
        self.all = all
        self.byKeyword = byKeyword
        self.index = TagIndex(all)
    }
}

/// Tag → entry index in flat memory, so that the lookup done for each parsed element costs a multiply and a
/// probe or two, with no hashing of Swift values and no reference counting.
///
/// Exact tags sit in an open-addressing table. Repeating groups and ranges sit in 1024 buckets keyed by the
/// group's high byte, its parity and whether the element is above 00FF, each bucket listing its candidates most
/// specific mask first; a private data element, the commonest miss, lands in an empty bucket.
///
/// The memory is written once here and never freed nor changed, hence `@unchecked Sendable`.
struct TagIndex: @unchecked Sendable {
    /// Exact tags: `tag << 32 | (index + 1)`, 0 for an empty slot.
    private let slots: UnsafeBufferPointer<UInt64>
    private let slotShift: UInt64
    /// Bucket b owns positions `bucketStart[b] ..< bucketStart[b + 1]` of `maskedKeys` (mask << 32 | value)
    /// and `maskedIndex`.
    private let bucketStart: UnsafeBufferPointer<Int32>
    private let maskedKeys: UnsafeBufferPointer<UInt64>
    private let maskedIndex: UnsafeBufferPointer<Int32>
    /// The default VR of each entry.
    let defaultVRs: UnsafeBufferPointer<VR>

    private static let bucketCount = 1024

    init(_ all: [DictionaryEntry]) {
        let exactCount = all.count { $0.mask == ~0 }
        var bits = 4
        while 1 << bits < exactCount * 3 { bits += 1 }  // load factor at most 1/3
        let slots = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << bits)
        slots.initialize(repeating: 0)
        slotShift = UInt64(64 - bits)
        var masked: [Int] = []
        for (index, entry) in all.enumerated() {
            guard entry.mask == ~0 else { masked.append(index); continue }
            var slot = TagIndex.hash(entry.tag.rawValue, shift: slotShift)
            while slots[slot] != 0 && UInt32(truncatingIfNeeded: slots[slot] >> 32) != entry.tag.rawValue {
                slot = (slot + 1) & (slots.count - 1)
            }
            slots[slot] = UInt64(entry.tag.rawValue) << 32 | UInt64(index + 1)
        }
        // More bits in the mask means a narrower rule (e.g. groups 0001-0007 before every group).
        masked.sort { a, b in
            let bitsA = all[a].mask.nonzeroBitCount, bitsB = all[b].mask.nonzeroBitCount
            return bitsA != bitsB ? bitsA > bitsB : a < b
        }
        var perBucket = [[Int]](repeating: [], count: TagIndex.bucketCount)
        for index in masked {
            let entry = all[index]
            // Only the group high bytes the mask leaves free need a look: walk the subsets of the free bits.
            let fixedHigh = entry.tag.rawValue >> 24 & entry.mask >> 24
            let free = ~(entry.mask >> 24) & 0xFF
            var subset = free
            while true {
                for low in 0 ..< 4 {
                    let bucket = Int(fixedHigh | subset) << 2 | low
                    if TagIndex.mayMatch(entry, bucket: bucket) { perBucket[bucket].append(index) }
                }
                if subset == 0 { break }
                subset = (subset - 1) & free
            }
        }
        var starts: [Int32] = [0]
        var keys: [UInt64] = []
        var indices: [Int32] = []
        for bucket in perBucket {
            for index in bucket {
                keys.append(UInt64(all[index].mask) << 32 | UInt64(all[index].tag.rawValue))
                indices.append(Int32(index))
            }
            starts.append(Int32(keys.count))
        }
        self.slots = UnsafeBufferPointer(slots)
        bucketStart = TagIndex.permanent(starts)
        maskedKeys = TagIndex.permanent(keys)
        maskedIndex = TagIndex.permanent(indices)
        defaultVRs = TagIndex.permanent(all.map(\.vr))
    }

    /// Index of the entry for `tag`: the exact one, else the most specific masked one.
    @inline(__always)
    func find(_ tag: UInt32) -> Int? {
        var slot = TagIndex.hash(tag, shift: slotShift)
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if UInt32(truncatingIfNeeded: value >> 32) == tag { return Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1 }
            slot = (slot + 1) & (slots.count - 1)
        }
        let bucket = Int(tag >> 24) << 2 | Int(tag >> 16 & 1) << 1 | (tag & 0xFF00 != 0 ? 1 : 0)
        var position = Int(bucketStart[bucket])
        let end = Int(bucketStart[bucket + 1])
        while position < end {
            let key = maskedKeys[position]
            if tag & UInt32(truncatingIfNeeded: key >> 32) == UInt32(truncatingIfNeeded: key) {
                return Int(maskedIndex[position])
            }
            position += 1
        }
        return nil
    }

    @inline(__always)
    private static func hash(_ tag: UInt32, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(tag) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private static func permanent<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
        let memory = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = memory.initialize(from: array)
        return UnsafeBufferPointer(rebasing: memory[0 ..< array.count])
    }

    /// Whether some tag of `bucket` can match `entry`.
    private static func mayMatch(_ entry: DictionaryEntry, bucket: Int) -> Bool {
        let groupHigh = UInt32(bucket >> 2)
        let odd = UInt32(bucket >> 1 & 1)
        let highElement = bucket & 1 == 1
        let value = entry.tag.rawValue
        let mask = entry.mask
        guard groupHigh & (mask >> 24) == value >> 24 else { return false }
        if mask >> 16 & 1 == 1, value >> 16 & 1 != odd { return false }
        // The entry fixes the bits of the element's high byte that its mask holds.
        let fixedHigh = mask >> 8 & 0xFF
        let wantedHigh = value >> 8 & 0xFF
        return highElement ? (fixedHigh != 0xFF || wantedHigh != 0) : wantedHigh == 0
    }
}
