extension DataDictionary {
    /// The private dictionary's entry for private element `tag` reserved by `creator` (the value of its private
    /// creator element, PS3.5 §7.8.1; trailing padding ignored), from DCMTK's `private.dic`. The entry's tag
    /// holds the element's low byte (gggg,00ee) with a mask that ignores the reserved block, or the exact element
    /// when the dictionary pins one.
    public static func privateEntry(for tag: Tag, creator: String) -> DictionaryEntry? {
        guard tag.isPrivate, tag.element > 0x00FF else { return nil }
        return PrivateDictionaryTables.shared.entry(for: tag, creator: trimmedCreator(creator))
    }

    /// The number of entries in the private dictionary.
    public static var privateEntryCount: Int { PrivateDictionaryTables.shared.count }

    private static func trimmedCreator(_ creator: String) -> String {
        var text = Substring(creator)
        while let last = text.last, last == " " || last == "\0" { text = text.dropLast() }
        return String(text)
    }
}

/// Lookup tables of the private dictionary, built once from the generated text on first use.
final class PrivateDictionaryTables: Sendable {
    struct Key: Hashable, Sendable {
        let creator: String
        let group: UInt16
        /// 00ee for an element at low byte ee of any reserved block; the full element when it is pinned.
        let element: UInt16
    }

    /// Entries of a single group.
    let exact: [Key: DictionaryEntry]
    /// Entries over a range of groups (e.g. 6001-60FF odd), few enough to scan.
    let ranged: [(creator: String, entry: DictionaryEntry)]
    let count: Int

    static let shared = PrivateDictionaryTables(text: DictionaryData.privateEntries)

    init(text: String) {
        var vrCache: [UInt64: [VR]] = [:]
        var exact: [Key: DictionaryEntry] = [:]
        exact.reserveCapacity(DictionaryData.privateEntryCount)
        var ranged: [(creator: String, entry: DictionaryEntry)] = []
        var count = 0
        DictionaryData.forEachRow(text) { row in
            guard row.count >= 7, let group = row.hex(1).flatMap(UInt16.init(exactly:)),
                  let element = row.hex(3).flatMap(UInt16.init(exactly:)) else { return }
            let groupMask = row.isEmpty(2) ? UInt16.max : (row.hex(2).flatMap(UInt16.init(exactly:)) ?? .max)
            let pinned = row.length(3) == 4
            let entry = DictionaryEntry(
                tag: Tag(group, element), mask: UInt32(groupMask) << 16 | (pinned ? 0xFFFF : 0x00FF),
                vrs: row.vrs(4, cache: &vrCache), vm: row.string(5), keyword: row.string(6), isRetired: false)
            let creator = row.string(0)
            if groupMask == .max {
                exact[Key(creator: creator, group: group, element: element)] = entry
            } else {
                ranged.append((creator, entry))
            }
            count += 1
        }
        self.exact = exact
        self.ranged = ranged
        self.count = count
    }

    func entry(for tag: Tag, creator: String) -> DictionaryEntry? {
        if let pinned = exact[Key(creator: creator, group: tag.group, element: tag.element)] { return pinned }
        if let entry = exact[Key(creator: creator, group: tag.group, element: tag.element & 0x00FF)] { return entry }
        return ranged.first { $0.creator == creator && $0.entry.matches(tag) }?.entry
    }
}
