/// One entry of the data dictionary (PS3.6 §6), as DCMTK's dictionary gives it.
public struct DictionaryEntry: Sendable, Hashable {
    /// The tag; for a repeating group or element range, its value under `mask` (e.g. 6000,3000 for 60xx,3000).
    public let tag: Tag
    /// Bits of the tag that must match; repeating groups (50xx, 60xx, 7Fxx) mask out the group's low byte.
    public let mask: UInt32
    /// The VRs the standard allows, first the one used when a file does not say (implicit VR); empty for items
    /// and delimiters, which have no VR.
    public let vrs: [VR]
    public let vm: String
    /// The keyword as DCMTK spells it and Orthanc prints it (e.g. `PatientName`, `RETIRED_CurveData`).
    public let keyword: String
    public let isRetired: Bool

    /// An entry; `mask` defaults to an exact tag.
    public init(tag: Tag, mask: UInt32 = ~0, vrs: [VR], vm: String, keyword: String, isRetired: Bool) {
        self.tag = tag
        self.mask = mask
        self.vrs = vrs
        self.vm = vm
        self.keyword = keyword
        self.isRetired = isRetired
    }

    /// The default VR (implicit VR files), UN when the entry has none.
    public var vr: VR { vrs.first ?? .UN }

    /// True when `other` is a tag this entry describes.
    public func matches(_ other: Tag) -> Bool { other.rawValue & mask == tag.rawValue }

    /// The name Orthanc shows for this element (DCMTK's name, same as `keyword`).
    public var name: String { keyword }
}

/// Lookups in the public data dictionary, generated from DCMTK's `dicom.dic` by Scripts/generate-dictionary.py.
public enum DataDictionary {
    /// What DCMTK, and so Orthanc, names an element it finds in no dictionary.
    public static let unknownTagName = "Unknown Tag & Data"

    /// The entry for `tag`, matching repeating groups too; nil for private data elements and unknown tags.
    /// Private creators and group lengths get DCMTK's generic entries (`PrivateCreator`, `GenericGroupLength`…).
    public static func entry(for tag: Tag) -> DictionaryEntry? {
        let tables = PublicDictionaryTables.shared
        guard let index = tables.index.find(tag.rawValue) else { return nil }
        return tables.all[index]
    }

    /// The entry whose keyword is `keyword` (e.g. "PatientName"); a retired keyword may be given with or
    /// without DCMTK's `RETIRED_` prefix.
    public static func entry(forKeyword keyword: String) -> DictionaryEntry? {
        let tables = PublicDictionaryTables.shared
        guard let index = tables.byKeyword[keyword] else { return nil }
        return tables.all[Int(index)]
    }

    /// The tag whose keyword is `keyword`; for a repeating group, its first group (e.g. 6000,3000).
    public static func tag(forKeyword keyword: String) -> Tag? {
        entry(forKeyword: keyword)?.tag
    }

    /// The default VR of `tag` (UN when unknown), as an implicit VR reader needs it; cheaper than `entry(for:)`.
    public static func vr(for tag: Tag) -> VR {
        let index = PublicDictionaryTables.fastIndex
        guard let found = index.find(tag.rawValue) else { return .UN }
        return index.defaultVRs[found]
    }

    /// Every public entry, sorted by tag then mask (repeating ranges may appear as several masked blocks).
    public static var allEntries: [DictionaryEntry] { PublicDictionaryTables.shared.all }

    /// The name Orthanc shows for `tag`: the public keyword, else the private dictionary's name under
    /// `privateCreator`, else "Unknown Tag & Data".
    public static func name(for tag: Tag, privateCreator: String? = nil) -> String {
        if tag.isPrivate, tag.element > 0x00FF {
            if let creator = privateCreator, let entry = privateEntry(for: tag, creator: creator) {
                return entry.keyword
            }
            return unknownTagName
        }
        return entry(for: tag)?.keyword ?? unknownTagName
    }
}
