import DICOM
import PharosIndex

/// The layout and DICOMDIR of a media archive (PS3.10 §8; Basic Directory IOD, PS3.3 Annex F): files named
/// `IMAGES/IM0`, `IMAGES/IM1`… in patient, study, series order, and a directory of one record per patient, study,
/// series and instance whose offsets link each record to its next sibling and its first child.
struct DicomDirectory {
    /// An instance to put on the media: its lineage (instance up to patient) and what its DICOMDIR record names.
    struct Instance {
        var lineage: ResourceLineage
        var sopClassUID: String
        var transferSyntaxUID: String
        /// The instance's own elements its record type asks for beyond the main tags (`recordKeys`), when read.
        var extraKeys: [DataElement] = []
    }

    /// Path on the media per instance ID, in the order the files are to be written.
    private(set) var entries: [(instance: String, path: String)] = []
    private var roots: [Record] = []

    /// One directory record: its type, its keys and the records one level below it.
    struct Record {
        var type: String
        var keys: [DataElement]
        var children: [Record] = []
    }

    /// `extended` adds keys beyond the general-purpose profile (birth date, sex, series description…), as
    /// Orthanc's `/media?extended` does.
    init(_ instances: [Instance], extended: Bool) {
        // Patients, studies and series in order of first appearance; instances by InstanceNumber within a series.
        var order: [String: Int] = [:]
        for instance in instances {
            for id in instance.lineage.publicIDs.reversed() where order[id] == nil { order[id] = order.count }
        }
        let complete = instances.filter { $0.lineage.publicIDs.count == 4 }
        let sorted = complete.map { ($0, $0.lineage.mainTags) }.sorted { a, b in
            let (ia, ib) = (a.0.lineage.publicIDs, b.0.lineage.publicIDs)
            for level in [3, 2, 1] where ia[level] != ib[level] {
                return (order[ia[level]] ?? 0) < (order[ib[level]] ?? 0)
            }
            let (na, nb) = (Self.number(a.1[0]), Self.number(b.1[0]))
            return na != nb ? (na ?? .max) < (nb ?? .max) : ia[0] < ib[0]
        }
        var previous: [String] = []
        for (instance, tags) in sorted {
            let ids = instance.lineage.publicIDs
            let fileNumber = entries.count
            entries.append((ids[0], "IMAGES/IM\(fileNumber)"))
            if previous.count != 4 || previous[3] != ids[3] {
                roots.append(Record(type: "PATIENT", keys: Self.keys(tags[3], Self.patientKeys(extended))))
            }
            if previous.count != 4 || previous[2] != ids[2] {
                roots[roots.count - 1].children.append(Record(type: "STUDY", keys: Self.keys(tags[2], Self.studyKeys(extended))))
            }
            let patient = roots.count - 1, study = roots[patient].children.count - 1
            if previous.count != 4 || previous[1] != ids[1] {
                roots[patient].children[study].children.append(
                    Record(type: "SERIES", keys: Self.keys(tags[1], Self.seriesKeys(extended))))
            }
            let series = roots[patient].children[study].children.count - 1
            var keys = Self.keys(tags[0], Self.instanceKeys) + instance.extraKeys
            keys += [
                .string(Tag(0x0004, 0x1500), .CS, "IMAGES\\IM\(fileNumber)"),
                .string(Tag(0x0004, 0x1510), .UI, instance.sopClassUID),
                .string(Tag(0x0004, 0x1511), .UI, tags[0][.sopInstanceUID] ?? ""),
                .string(Tag(0x0004, 0x1512), .UI, instance.transferSyntaxUID),
            ]
            roots[patient].children[study].children[series].children.append(
                Record(type: Self.recordType(sopClass: instance.sopClassUID), keys: keys))
            previous = ids
        }
    }

    // MARK: keys

    private static let patientTags: [(Tag, VR)] = [(Tag(0x0010, 0x0010), .PN), (Tag(0x0010, 0x0020), .LO)]
    private static let studyTags: [(Tag, VR)] = [
        (Tag(0x0008, 0x0020), .DA), (Tag(0x0008, 0x0030), .TM), (Tag(0x0008, 0x0050), .SH),
        (Tag(0x0008, 0x1030), .LO), (Tag(0x0020, 0x000D), .UI), (Tag(0x0020, 0x0010), .SH),
    ]
    private static let seriesTags: [(Tag, VR)] = [
        (Tag(0x0008, 0x0060), .CS), (Tag(0x0020, 0x000E), .UI), (Tag(0x0020, 0x0011), .IS),
    ]
    private static let instanceKeys: [(Tag, VR)] = [(Tag(0x0020, 0x0013), .IS)]

    private static func patientKeys(_ extended: Bool) -> [(Tag, VR)] {
        extended ? patientTags + [(Tag(0x0010, 0x0030), .DA), (Tag(0x0010, 0x0040), .CS)] : patientTags
    }

    private static func studyKeys(_ extended: Bool) -> [(Tag, VR)] {
        extended ? studyTags + [(Tag(0x0008, 0x0090), .PN), (Tag(0x0008, 0x0080), .LO)] : studyTags
    }

    private static func seriesKeys(_ extended: Bool) -> [(Tag, VR)] {
        extended ? seriesTags + [(Tag(0x0008, 0x103E), .LO), (Tag(0x0008, 0x0021), .DA), (Tag(0x0008, 0x0031), .TM),
                                 (Tag(0x0018, 0x0015), .CS)] : seriesTags
    }

    /// The record's keys from a resource's main tags (empty when absent: the general-purpose profile lists them);
    /// Specific Character Set says UTF-8 when a value needs it.
    private static func keys(_ tags: MainTags, _ wanted: [(Tag, VR)]) -> [DataElement] {
        var out = wanted.map { tag, vr in DataElement.string(tag, vr, tags[tag] ?? "") }
        if wanted.contains(where: { tags[$0.0].map { !$0.utf8.allSatisfy { $0 < 0x80 } } ?? false }) {
            out.append(.string(.specificCharacterSet, .CS, "ISO_IR 192"))
        }
        return out
    }

    private static func number(_ tags: MainTags) -> Int? {
        tags[Tag(0x0020, 0x0013)].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The keys a record type lists beyond Instance Number (PS3.3 F.5), taken from the instance itself: the RT
    /// labels and dates, an SR's flags and concept name, a presentation state's label, a document's title.
    static func recordKeys(_ type: String) -> [Tag] {
        let contentDateTime = [Tag(0x0008, 0x0023), Tag(0x0008, 0x0033)]
        let conceptName = Tag(0x0040, 0xA043)
        switch type {
        case "RT PLAN": return [Tag(0x300A, 0x0002), Tag(0x300A, 0x0006), Tag(0x300A, 0x0007)]
        case "RT STRUCTURE SET": return [Tag(0x3006, 0x0002), Tag(0x3006, 0x0008), Tag(0x3006, 0x0009)]
        case "RT DOSE": return [Tag(0x3004, 0x0004)]
        case "RT TREAT RECORD": return [Tag(0x3008, 0x0250), Tag(0x3008, 0x0251)]
        case "SR DOCUMENT":
            return contentDateTime + [Tag(0x0040, 0xA030), conceptName, Tag(0x0040, 0xA491), Tag(0x0040, 0xA493)]
        case "KEY OBJECT DOC": return contentDateTime + [conceptName]
        case "WAVEFORM": return contentDateTime
        case "PRESENTATION":
            return [Tag(0x0008, 0x1115), Tag(0x0070, 0x0080), Tag(0x0070, 0x0081), Tag(0x0070, 0x0082),
                    Tag(0x0070, 0x0083), Tag(0x0070, 0x0084)]
        case "ENCAP DOC": return contentDateTime + [conceptName, Tag(0x0042, 0x0010), Tag(0x0042, 0x0012)]
        default: return []
        }
    }

    /// Those of `keys` that `dataSet` holds, when their text is plain ASCII (the record states no character set
    /// for values copied as they are).
    static func extraKeys(_ keys: [Tag], from dataSet: DataSet) -> [DataElement] {
        func ascii(_ element: DataElement) -> Bool {
            if let items = element.items {
                return items.allSatisfy { item in item.elements.allSatisfy(ascii) }
            }
            return element.bytes.allSatisfy { $0 < 0x80 }
        }
        return keys.compactMap { dataSet[$0] }.filter(ascii)
    }

    /// The directory record type for a storage SOP class (PS3.3 F.5); IMAGE for the image classes and the rest.
    static func recordType(sopClass uid: String) -> String {
        let storage = "1.2.840.10008.5.1.4.1.1."
        guard uid.hasPrefix(storage) else { return "IMAGE" }
        let rest = uid.dropFirst(storage.count)
        switch rest {
        case "88.59": return "KEY OBJECT DOC"
        case "481.2": return "RT DOSE"
        case "481.3": return "RT STRUCTURE SET"
        case "481.4", "481.6", "481.7", "481.9": return "RT TREAT RECORD"
        case "481.5", "481.8": return "RT PLAN"
        case "66": return "RAW DATA"
        case "66.1", "66.3": return "REGISTRATION"
        case "66.2": return "FIDUCIAL"
        case "66.4": return "IMAGE"
        case "66.5": return "SURFACE"
        default: break
        }
        if rest.hasPrefix("88.") { return "SR DOCUMENT" }
        if rest.hasPrefix("104.") { return "ENCAP DOC" }
        if rest.hasPrefix("11.") { return "PRESENTATION" }
        if rest.hasPrefix("9.") { return "WAVEFORM" }
        if rest.hasPrefix("66.") { return "RAW DATA" }
        return "IMAGE"
    }

    // MARK: encoding

    /// The DICOMDIR file: Part 10 header, the file-set identification, then every record as an item of the
    /// Directory Record Sequence, depth first. Offsets count bytes from the start of the file (preamble included).
    func serialized(fileSetID: String = "PHAROS_MEDIA") throws -> [UInt8] {
        // Depth first: each record with the index of its next sibling and of its first child.
        var flat: [(record: Record, next: Int?, child: Int?)] = []
        func visit(_ records: [Record]) -> [Int] {
            var indices: [Int] = []
            for record in records {
                let index = flat.count
                if let previous = indices.last { flat[previous].next = index }
                indices.append(index)
                flat.append((record, nil, nil))
                flat[index].child = visit(record.children).first
            }
            return indices
        }
        let rootIndices = visit(roots)

        // The offsets are fixed-size values: every record's size is known before they are.
        func encode(_ record: Record, next: UInt32, child: UInt32) throws -> [UInt8] {
            var item = DataSet()
            item.set(.uint32(Tag(0x0004, 0x1400), [next]))
            item.set(.uint16(Tag(0x0004, 0x1410), [0xFFFF]))
            item.set(.uint32(Tag(0x0004, 0x1420), [child]))
            item.set(.string(Tag(0x0004, 0x1430), .CS, record.type))
            for key in record.keys { item.set(key) }
            return try item.serialized(transferSyntax: .explicitVRLittleEndian)
        }
        func identification(first: UInt32, last: UInt32) throws -> [UInt8] {
            var set = DataSet()
            set.set(.string(Tag(0x0004, 0x1130), .CS, fileSetID))
            set.set(.uint32(Tag(0x0004, 0x1200), [first]))
            set.set(.uint32(Tag(0x0004, 0x1202), [last]))
            set.set(.uint16(Tag(0x0004, 0x1212), [0]))
            return try set.serialized(transferSyntax: .explicitVRLittleEndian)
        }
        // The Part 10 header: an empty data set behind a meta group naming the Media Storage Directory class.
        var meta = DataSet()
        meta.set(.string(.mediaStorageSOPClassUID, .UI, Self.mediaStorageDirectoryStorage))
        meta.set(.string(.mediaStorageSOPInstanceUID, .UI, UID.generate()))
        var out = try DICOMFile(fileMetaInformation: meta, dataSet: DataSet(), transferSyntax: .explicitVRLittleEndian)
            .serialized()

        // Directory Record Sequence, undefined length; each record an item of defined length.
        let sequenceHeader: [UInt8] = [0x04, 0x00, 0x20, 0x12, 0x53, 0x51, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]
        var position = out.count + (try identification(first: 0, last: 0)).count + sequenceHeader.count
        var offsets: [UInt32] = []
        for entry in flat {
            guard let offset = UInt32(exactly: position) else {
                throw RESTError(.internalError, "The DICOMDIR would exceed 4 GiB")
            }
            offsets.append(offset)
            position += 8 + (try encode(entry.record, next: 0, child: 0)).count
        }
        out += try identification(first: rootIndices.first.map { offsets[$0] } ?? 0,
                                   last: rootIndices.last.map { offsets[$0] } ?? 0)
        out += sequenceHeader
        for entry in flat {
            let bytes = try encode(entry.record, next: entry.next.map { offsets[$0] } ?? 0,
                                   child: entry.child.map { offsets[$0] } ?? 0)
            out += [0xFE, 0xFF, 0x00, 0xE0]
            Self.appendUInt32(UInt32(bytes.count), to: &out)
            out += bytes
        }
        out += [0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00]
        return out
    }

    static let mediaStorageDirectoryStorage = "1.2.840.10008.1.3.10"

    private static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
