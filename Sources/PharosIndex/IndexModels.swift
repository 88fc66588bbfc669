import Foundation
import DICOM

/// An attachment kind, numbered as Orthanc numbers them (1 = DICOM file, 2 = DICOM until pixel data, ≥1024 user-defined).
public struct AttachmentKind: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let dicom = AttachmentKind(rawValue: 1)
    public static let dicomUntilPixelData = AttachmentKind(rawValue: 2)

    /// Orthanc's name for the kind ("dicom", "dicom-until-pixel-data", or the number).
    public var name: String {
        switch rawValue {
        case 1: "dicom"
        case 2: "dicom-until-pixel-data"
        default: String(rawValue)
        }
    }
}

/// One stored file of a resource, as the storage area holds it.
public struct Attachment: Hashable, Sendable, Codable {
    public var kind: AttachmentKind
    /// Storage-area file name (a UUID).
    public var uuid: String
    public var compressedSize: Int64
    public var uncompressedSize: Int64
    /// 1 = none, 2 = zlib (Orthanc's CompressionType numbers).
    public var compression: Int
    public var md5Compressed: String
    public var md5Uncompressed: String

    public init(kind: AttachmentKind, uuid: String, compressedSize: Int64, uncompressedSize: Int64, compression: Int,
                md5Compressed: String, md5Uncompressed: String) {
        self.kind = kind
        self.uuid = uuid
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.compression = compression
        self.md5Compressed = md5Compressed
        self.md5Uncompressed = md5Uncompressed
    }
}

/// Metadata names as Orthanc numbers them; ≥1024 are user-defined.
public struct MetadataKind: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let indexInSeries = MetadataKind(rawValue: 1)
    public static let receptionDate = MetadataKind(rawValue: 2)
    public static let remoteAET = MetadataKind(rawValue: 3)
    public static let modifiedFrom = MetadataKind(rawValue: 5)
    public static let anonymizedFrom = MetadataKind(rawValue: 6)
    public static let lastUpdate = MetadataKind(rawValue: 7)
    public static let origin = MetadataKind(rawValue: 8)
    public static let transferSyntax = MetadataKind(rawValue: 9)
    public static let sopClassUid = MetadataKind(rawValue: 10)
    public static let remoteIP = MetadataKind(rawValue: 11)
    public static let calledAET = MetadataKind(rawValue: 12)
    public static let httpUsername = MetadataKind(rawValue: 13)
    public static let pixelDataOffset = MetadataKind(rawValue: 14)
    public static let mainDicomTagsSignature = MetadataKind(rawValue: 15)

    private static let names: [(MetadataKind, String)] = [
        (.indexInSeries, "IndexInSeries"), (.receptionDate, "ReceptionDate"), (.remoteAET, "RemoteAET"),
        (.modifiedFrom, "ModifiedFrom"), (.anonymizedFrom, "AnonymizedFrom"), (.lastUpdate, "LastUpdate"),
        (.origin, "Origin"), (.transferSyntax, "TransferSyntax"), (.sopClassUid, "SopClassUid"),
        (.remoteIP, "RemoteIP"), (.calledAET, "CalledAET"), (.httpUsername, "HttpUsername"),
        (.pixelDataOffset, "PixelDataOffset"), (.mainDicomTagsSignature, "MainDicomTagsSignature"),
    ]

    /// Orthanc's name for a built-in kind, or the number for a user-defined one.
    public var name: String { Self.names.first { $0.0 == self }?.1 ?? String(rawValue) }

    public init?(name: String) {
        if let k = Self.names.first(where: { $0.1 == name })?.0 { self = k; return }
        guard let n = Int(name) else { return nil }
        self.init(rawValue: n)
    }
}

/// Orthanc's change types (the numbers Lua and plugins see; REST shows the name).
public enum ChangeType: Int, Sendable, Codable, CaseIterable {
    case completedSeries = 1, newInstance, newPatient, newSeries, newStudy, anonymizedStudy, anonymizedSeries,
         modifiedStudy, modifiedSeries, anonymizedPatient, modifiedPatient, stablePatient, stableStudy, stableSeries,
         updatedAttachment, updatedMetadata

    public var name: String {
        switch self {
        case .completedSeries: "CompletedSeries"
        case .newInstance: "NewInstance"
        case .newPatient: "NewPatient"
        case .newSeries: "NewSeries"
        case .newStudy: "NewStudy"
        case .anonymizedStudy: "AnonymizedStudy"
        case .anonymizedSeries: "AnonymizedSeries"
        case .modifiedStudy: "ModifiedStudy"
        case .modifiedSeries: "ModifiedSeries"
        case .anonymizedPatient: "AnonymizedPatient"
        case .modifiedPatient: "ModifiedPatient"
        case .stablePatient: "StablePatient"
        case .stableStudy: "StableStudy"
        case .stableSeries: "StableSeries"
        case .updatedAttachment: "UpdatedAttachment"
        case .updatedMetadata: "UpdatedMetadata"
        }
    }
}

/// One row of the change log.
public struct Change: Sendable, Hashable {
    public var seq: Int64
    public var type: ChangeType
    public var level: ResourceLevel
    public var publicID: String
    /// "YYYYMMDDTHHMMSS" in UTC, as Orthanc prints it.
    public var date: String

    public init(seq: Int64, type: ChangeType, level: ResourceLevel, publicID: String, date: String) {
        self.seq = seq
        self.type = type
        self.level = level
        self.publicID = publicID
        self.date = date
    }
}

/// Main DICOM tags of one resource level, as (tag, value) pairs; values are decoded Unicode strings.
public typealias MainTags = [Tag: String]

/// Everything the index records for one new instance, computed by the ingest before the index is touched.
public struct NewInstance: Sendable {
    public var identifiers: ResourceIdentifiers
    /// Main tags per level (patient, study, series, instance); the study level also gets the patient's tags
    /// for `PatientMainDicomTags`.
    public var patientTags: MainTags
    public var studyTags: MainTags
    public var seriesTags: MainTags
    public var instanceTags: MainTags
    /// Attachments already written to the storage area (files are written before their index row).
    public var attachments: [Attachment]
    /// Instance metadata (ReceptionDate, Origin, RemoteAET, TransferSyntax, SopClassUid, IndexInSeries …).
    public var metadata: [MetadataKind: String]
    /// Series' expected number of instances when the file says (ImagesInAcquisition, NumberOfSlices …).
    public var expectedInstancesInSeries: Int?
    /// The header of the file up to Pixel Data, to answer /tags without reopening the file; nil when unusable.
    public var header: [UInt8]?

    public init(identifiers: ResourceIdentifiers, patientTags: MainTags, studyTags: MainTags, seriesTags: MainTags,
                instanceTags: MainTags, attachments: [Attachment], metadata: [MetadataKind: String],
                expectedInstancesInSeries: Int? = nil, header: [UInt8]? = nil) {
        self.identifiers = identifiers
        self.patientTags = patientTags
        self.studyTags = studyTags
        self.seriesTags = seriesTags
        self.instanceTags = instanceTags
        self.attachments = attachments
        self.metadata = metadata
        self.expectedInstancesInSeries = expectedInstancesInSeries
        self.header = header
    }
}

/// The result of storing one instance.
public enum StoreOutcome: Sendable, Equatable {
    case stored
    /// The instance was already there and was left as it was; its attachments here were not used.
    case alreadyStored
    /// The instance replaced a stored one (OverwriteInstances); the old attachments are returned to be removed.
    case overwritten(removedAttachments: [Attachment])
}

/// A resource's main tags and those of each of its ancestors, without the rest of its record: what a C-FIND answer
/// is built from.
public struct ResourceLineage: Sendable, Equatable {
    public var level: ResourceLevel
    /// The resource's public ID, then its parent's, up to the patient.
    public var publicIDs: [String]
    /// Each level's main tags as stored (validated): a C-FIND answer reads a few of them, so they are found by
    /// scanning rather than decoded into dictionaries for every match.
    var encodedTags: [[UInt8]]

    public init(level: ResourceLevel, publicIDs: [String], mainTags: [MainTags]) {
        self.init(level: level, publicIDs: publicIDs, encodedTags: mainTags.map { [UInt8](MainTagsCodec.encode($0)) })
    }

    init(level: ResourceLevel, publicIDs: [String], encodedTags: [[UInt8]]) {
        self.level = level
        self.publicIDs = publicIDs
        self.encodedTags = encodedTags
    }

    /// The main tags in the same order as `publicIDs`.
    public var mainTags: [MainTags] { encodedTags.map { (try? MainTagsCodec.decode(Data($0))) ?? [:] } }

    /// The first value of `tag` from the resource upwards.
    public func value(_ tag: Tag) -> String? {
        for tags in encodedTags { if let v = MainTagsCodec.value(tag, in: tags) { return v } }
        return nil
    }
}

/// A resource as the REST API shows it.
public struct ResourceRecord: Sendable, Equatable {
    public var level: ResourceLevel
    public var publicID: String
    public var parentID: String?
    public var childrenIDs: [String]
    public var mainTags: MainTags
    /// Study level only: the patient's main tags.
    public var patientMainTags: MainTags
    public var isStable: Bool
    public var isProtected: Bool
    /// "YYYYMMDDTHHMMSS"
    public var lastUpdate: String
    public var labels: [String]
    /// Series level: expected number of instances, when known.
    public var expectedInstances: Int?
    /// Instance level: the DICOM attachment and IndexInSeries.
    public var dicomAttachment: Attachment?
    public var indexInSeries: Int?
    /// Series level: each instance's IndexInSeries, in the order of `childrenIDs` (nil where it has none).
    public var childrenIndexInSeries: [Int?] = []

    public init(level: ResourceLevel, publicID: String, parentID: String?, childrenIDs: [String], mainTags: MainTags,
                patientMainTags: MainTags = [:], isStable: Bool, isProtected: Bool = false, lastUpdate: String,
                labels: [String] = [], expectedInstances: Int? = nil, dicomAttachment: Attachment? = nil,
                indexInSeries: Int? = nil) {
        self.level = level
        self.publicID = publicID
        self.parentID = parentID
        self.childrenIDs = childrenIDs
        self.mainTags = mainTags
        self.patientMainTags = patientMainTags
        self.isStable = isStable
        self.isProtected = isProtected
        self.lastUpdate = lastUpdate
        self.labels = labels
        self.expectedInstances = expectedInstances
        self.dicomAttachment = dicomAttachment
        self.indexInSeries = indexInSeries
    }
}

/// What a deletion removed.
public struct DeletionOutcome: Sendable, Equatable {
    /// Attachments of every removed instance, to delete from the storage area after the transaction.
    public var removedAttachments: [Attachment]
    /// The closest ancestor still present, or nil when the whole chain up to the patient went.
    public var remainingAncestor: (level: ResourceLevel, publicID: String)?

    public init(removedAttachments: [Attachment], remainingAncestor: (level: ResourceLevel, publicID: String)?) {
        self.removedAttachments = removedAttachments
        self.remainingAncestor = remainingAncestor
    }

    public static func == (a: DeletionOutcome, b: DeletionOutcome) -> Bool {
        a.removedAttachments == b.removedAttachments && a.remainingAncestor?.level == b.remainingAncestor?.level
            && a.remainingAncestor?.publicID == b.remainingAncestor?.publicID
    }
}

/// Counts and sizes, for /statistics and /{level}/{id}/statistics.
public struct Statistics: Sendable, Equatable {
    public var patients = 0, studies = 0, series = 0, instances = 0
    public var diskSize: Int64 = 0, uncompressedSize: Int64 = 0
    public var dicomDiskSize: Int64 = 0, dicomUncompressedSize: Int64 = 0
    public init() {}
}
