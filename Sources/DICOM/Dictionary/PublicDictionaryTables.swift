/// Lookup tables of the public dictionary, built once from the generated text on first use.
///
/// Tables hold indices into `all` so that a lookup copies no entry until it has found one, and the default VR
/// (what an implicit VR reader asks for each element) is answered without touching an entry at all.
final class PublicDictionaryTables: Sendable {
    /// Every entry, sorted by tag then mask.
    let all: [DictionaryEntry]
    /// `all[i].vr`, kept apart so a VR lookup does no reference counting.
    let defaultVRs: [VR]
    /// Exact tags to their index in `all`: the O(1) path taken for almost every element.
    let exact: [UInt32: Int32]
    /// Repeating groups and ranges by bucket (see `bucket(of:)`): bucket b owns positions
    /// `bucketStart[b] ..< bucketStart[b + 1]` of `maskedKeys` (mask << 32 | value, most specific mask first)
    /// and `maskedIndex` (index in `all`). A private data element, the commonest miss, has an empty bucket.
    let bucketStart: [Int32]
    let maskedKeys: [UInt64]
    let maskedIndex: [Int32]
    let byKeyword: [String: Int32]

    /// `static let` gives a thread-safe lazy initialisation.
    static let shared = PublicDictionaryTables(text: DictionaryData.publicEntries)

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

        var exact: [UInt32: Int32] = [:]
        exact.reserveCapacity(all.count)
        var masked: [Int32] = []
        var byKeyword: [String: Int32] = [:]
        byKeyword.reserveCapacity(all.count + 600)
        for (index, entry) in all.enumerated() {
            if entry.mask == ~0 { exact[entry.tag.rawValue] = Int32(index) } else { masked.append(Int32(index)) }
            // A range split into several blocks keeps its first (lowest) block under the keyword.
            if byKeyword[entry.keyword] == nil { byKeyword[entry.keyword] = Int32(index) }
        }
        // Retired keywords also answer without DCMTK's prefix, unless a current keyword has that name.
        let prefix = "RETIRED_"
        for (index, entry) in all.enumerated() where entry.keyword.hasPrefix(prefix) {
            let plain = String(entry.keyword.dropFirst(prefix.count))
            if byKeyword[plain] == nil { byKeyword[plain] = Int32(index) }
        }
        // More bits in the mask means a narrower rule (e.g. groups 0001-0007 before every group).
        masked.sort { a, b in
            let maskA = all[Int(a)].mask.nonzeroBitCount, maskB = all[Int(b)].mask.nonzeroBitCount
            return maskA != maskB ? maskA > maskB : a < b
        }

        var bucketStart: [Int32] = [0]
        var maskedKeys: [UInt64] = []
        var maskedIndex: [Int32] = []
        for bucket in 0 ..< PublicDictionaryTables.bucketCount {
            for index in masked where PublicDictionaryTables.mayMatch(all[Int(index)], bucket: bucket) {
                let entry = all[Int(index)]
                maskedKeys.append(UInt64(entry.mask) << 32 | UInt64(entry.tag.rawValue))
                maskedIndex.append(index)
            }
            bucketStart.append(Int32(maskedKeys.count))
        }
        self.all = all
        self.defaultVRs = all.map(\.vr)
        self.exact = exact
        self.bucketStart = bucketStart
        self.maskedKeys = maskedKeys
        self.maskedIndex = maskedIndex
        self.byKeyword = byKeyword
    }

    /// Index in `all` of the entry for `tag`: exact first, else the most specific masked entry.
    @inline(__always)
    func index(of tag: UInt32) -> Int? {
        if let index = exact[tag] { return Int(index) }
        let bucket = PublicDictionaryTables.bucket(of: tag)
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

    // A bucket is the group's high byte, the group's parity and whether the element is above 00FF: 1024 buckets.
    private static let bucketCount = 1024

    @inline(__always)
    private static func bucket(of tag: UInt32) -> Int {
        Int(tag >> 24) << 2 | Int(tag >> 16 & 1) << 1 | (tag & 0xFF00 != 0 ? 1 : 0)
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
