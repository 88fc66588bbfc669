/// One registered DICOM UID (PS3.6 Annex A): transfer syntax, SOP class, well-known instance, coding scheme…
public struct UIDInfo: Sendable, Hashable {
    public let uid: String
    /// The standard's name, e.g. "CT Image Storage".
    public let name: String
    /// The standard's keyword, e.g. "CTImageStorage".
    public let keyword: String
    /// The UID type as PS3.6 lists it, e.g. "Transfer Syntax", "SOP Class", "Well-known frame of reference".
    public let type: String
    public let isRetired: Bool

    public var isTransferSyntax: Bool { type == "Transfer Syntax" }
    public var isSOPClass: Bool { type == "SOP Class" }
}

/// The registry of standard UIDs, generated from PS3.6 Annex A data by Scripts/generate-uid-registry.py.
public enum UIDRegistry {
    /// The registered UID `uid` (NUL or space padding ignored), or nil when the standard does not define it.
    public static func info(for uid: String) -> UIDInfo? {
        let tables = UIDTables.shared
        return tables.byUID[uid] ?? tables.byUID[UID.trimmed(uid)]
    }

    /// The registered UID whose keyword is `keyword` (e.g. "JPEG2000Lossless").
    public static func info(forKeyword keyword: String) -> UIDInfo? {
        UIDTables.shared.byKeyword[keyword]
    }

    /// The standard's name of `uid`, or nil when it is not a registered UID.
    public static func name(for uid: String) -> String? { info(for: uid)?.name }

    /// Every registered UID, sorted by UID.
    public static var all: [UIDInfo] { UIDTables.shared.all }

    /// Every storage SOP class (PS3.4 Annex B), retired ones included, sorted by UID: the SOP classes whose
    /// keyword names a storage (CTImageStorage, DigitalXRayImageStorageForPresentation, TextSRStorageTrial…),
    /// storage commitment excluded.
    public static var storageSOPClasses: [UIDInfo] { UIDTables.shared.storage }

    /// True when `uid` is a storage SOP class.
    public static func isStorageSOPClass(_ uid: String) -> Bool {
        info(for: uid).map(UIDTables.isStorage) ?? false
    }
}

/// Lookup tables of the UID registry, built once from the generated text on first use.
final class UIDTables: Sendable {
    let all: [UIDInfo]
    let byUID: [String: UIDInfo]
    let byKeyword: [String: UIDInfo]
    let storage: [UIDInfo]

    static let shared = UIDTables(text: DictionaryData.uidEntries)

    static func isStorage(_ info: UIDInfo) -> Bool {
        info.isSOPClass && info.keyword.contains("Storage") && !info.keyword.hasPrefix("StorageCommitment")
    }

    init(text: String) {
        var all: [UIDInfo] = []
        all.reserveCapacity(DictionaryData.uidEntryCount)
        DictionaryData.forEachRow(text) { row in
            guard row.count >= 5 else { return }
            all.append(UIDInfo(uid: row.string(0), name: row.string(1), keyword: row.string(2),
                               type: row.string(3), isRetired: row.isFlag(4, "R")))
        }
        self.all = all
        byUID = Dictionary(all.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        byKeyword = Dictionary(all.map { ($0.keyword, $0) }, uniquingKeysWith: { first, _ in first })
        storage = all.filter(UIDTables.isStorage)
    }
}
