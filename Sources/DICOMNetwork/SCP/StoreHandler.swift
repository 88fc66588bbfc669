import DICOM

/// A received C-STORE (PS3.4 Annex B, PS3.7 §9.1.1): who sent it, what, and the data set bytes as received.
public struct StoreRequest: Sendable {
    public var association: AssociationInfo
    public var sopClassUID: String
    public var sopInstanceUID: String
    /// The presentation context's transfer syntax, in which `dataSet` is encoded.
    public var transferSyntax: String
    /// The data set exactly as received.
    public var dataSet: [UInt8]
    /// Set when the store is a C-MOVE sub-operation.
    public var moveOriginatorAETitle: String?
    public var moveOriginatorMessageID: UInt16?

    public init(association: AssociationInfo, sopClassUID: String, sopInstanceUID: String, transferSyntax: String,
                dataSet: [UInt8], moveOriginatorAETitle: String? = nil, moveOriginatorMessageID: UInt16? = nil) {
        self.association = association
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntax = transferSyntax
        self.dataSet = dataSet
        self.moveOriginatorAETitle = moveOriginatorAETitle
        self.moveOriginatorMessageID = moveOriginatorMessageID
    }

    /// The Part 10 file (PS3.10 §7.1): preamble, `DICM`, a file meta group naming this instance, its transfer
    /// syntax and the sending AE, then the received bytes unchanged.
    public func part10() throws -> [UInt8] {
        var meta = DataSet()
        meta.set(DataElement(tag: .fileMetaInformationVersion, vr: .OB, bytes: [0x00, 0x01]))
        meta.set(.string(.mediaStorageSOPClassUID, .UI, sopClassUID))
        meta.set(.string(.mediaStorageSOPInstanceUID, .UI, sopInstanceUID))
        meta.set(.string(.transferSyntaxUID, .UI, transferSyntax))
        meta.set(.string(.implementationClassUID, .UI, Pharos.implementationClassUID))
        meta.set(.string(.implementationVersionName, .SH, Pharos.implementationVersionName))
        if !association.callingAETitle.isEmpty {
            meta.set(.string(.sourceApplicationEntityTitle, .AE, association.callingAETitle))
        }
        // The encoder drops group lengths outside group 0000, and the meta group needs one (PS3.10 §7.1): add it here.
        let body = try meta.serialized(transferSyntax: .explicitVRLittleEndian)
        var out = [UInt8](repeating: 0, count: 128)
        out += Array("DICM".utf8)
        out += [0x02, 0x00, 0x00, 0x00, UInt8(ascii: "U"), UInt8(ascii: "L"), 0x04, 0x00]
        let n = UInt32(body.count)
        out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        out += body
        out.reserveCapacity(out.count + dataSet.count)
        out += dataSet
        return out
    }
}

/// Receives C-STORE requests (the server stores them); answers a DIMSE status (0x0000, or 0xA700, 0xA900, 0xC000…).
public protocol StoreHandler: Sendable {
    func store(_ request: StoreRequest) async -> DIMSEStatus
}

/// A C-FIND request (PS3.4 Annex C): the information model (SOP class), the level and the identifier.
public struct FindRequest: Sendable {
    public var association: AssociationInfo
    /// The query/retrieve information model's SOP class UID.
    public var sopClassUID: String
    /// Query/Retrieve Level (0008,0052): PATIENT, STUDY, SERIES or IMAGE (empty for worklists).
    public var level: String
    public var identifier: DataSet

    public init(association: AssociationInfo, sopClassUID: String, level: String, identifier: DataSet) {
        self.association = association
        self.sopClassUID = sopClassUID
        self.level = level
        self.identifier = identifier
    }
}

/// Answers C-FIND requests with a sequence of matches; each is sent as Pending, then Success.
public protocol FindHandler: Sendable {
    /// The matches; throwing a `DIMSEFailure` chooses the failure status (else 0xC000).
    func find(_ request: FindRequest) async throws -> AsyncThrowingStream<DataSet, Error>
}

/// A failure a handler reports with a chosen DIMSE status.
public struct DIMSEFailure: Error, Sendable {
    public var status: DIMSEStatus
    public var comment: String
    public init(_ status: DIMSEStatus, _ comment: String) {
        self.status = status
        self.comment = comment
    }
}

/// One instance a C-MOVE or C-GET sends: its classes and a way to load its Part 10 bytes.
public struct RetrieveItem: Sendable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    /// The transfer syntax the file is stored in.
    public var transferSyntax: String
    public var load: @Sendable () async throws -> [UInt8]

    public init(sopClassUID: String, sopInstanceUID: String, transferSyntax: String,
                load: @escaping @Sendable () async throws -> [UInt8]) {
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntax = transferSyntax
        self.load = load
    }
}

/// A C-MOVE or C-GET request (PS3.4 Annex C.4).
public struct RetrieveRequest: Sendable {
    public var association: AssociationInfo
    public var sopClassUID: String
    public var level: String
    public var identifier: DataSet
    /// C-MOVE's destination AE title; nil for C-GET.
    public var moveDestination: String?

    public init(association: AssociationInfo, sopClassUID: String, level: String, identifier: DataSet,
                moveDestination: String?) {
        self.association = association
        self.sopClassUID = sopClassUID
        self.level = level
        self.identifier = identifier
        self.moveDestination = moveDestination
    }
}

/// Where a C-MOVE destination AE title is reachable.
public struct DICOMPeer: Sendable, Equatable {
    public var aeTitle: String
    public var host: String
    public var port: Int
    public init(aeTitle: String, host: String, port: Int) {
        self.aeTitle = aeTitle
        self.host = host
        self.port = port
    }
}

/// Resolves C-MOVE and C-GET requests; DICOMNetwork performs the C-STORE sub-operations itself.
public protocol RetrieveHandler: Sendable {
    /// The instances the identifier matches.
    func retrieve(_ request: RetrieveRequest) async throws -> [RetrieveItem]
    /// The host and port of a C-MOVE destination, or nil when unknown (answered 0xA801).
    func destination(forAETitle aeTitle: String, request: RetrieveRequest) async -> DICOMPeer?
}
