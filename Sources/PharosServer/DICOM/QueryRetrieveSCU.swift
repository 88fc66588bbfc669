import DICOM
import DICOMNetwork
import Logging
import PharosIndex

/// Pharos as a query/retrieve SCU: C-FIND, C-MOVE and C-GET towards the configured modalities.
struct QueryRetrieveSCU: Sendable {
    let scu: DICOMSCU
    let ingest: Ingest
    let logger: Logger

    /// What a C-MOVE or C-GET did, as Orthanc's synchronous job answer reports it.
    struct RetrieveReport: Sendable {
        var localAet: String
        var remoteAet: String
        /// The identifiers sent, one per retrieved resource.
        var query: [DataSet]
        var counts = SubOperationCounts()

        func json(_ format: OrthancJSONOptions.Format = .short) -> JSONValue {
            let members: [(String, JSONValue)] = [
                ("Description", "REST API"),
                ("LocalAet", .string(localAet)),
                ("Query", .array(query.map { $0.orthancJSON(format: format) })),
                ("RemoteAet", .string(remoteAet)),
            ]
            return .object(JSONObject(members))
        }
    }

    static let queryRetrieveLevel = Tag(0x0008, 0x0052)

    private static let uncompressed = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]

    /// The model used at `level`: Patient Root for patients, Study Root otherwise (as Orthanc does).
    static func findModel(_ level: ResourceLevel) -> String {
        level == .patient ? SOPClass.patientRootFind : SOPClass.studyRootFind
    }

    static func moveModel(_ level: ResourceLevel) -> String {
        level == .patient ? SOPClass.patientRootMove : SOPClass.studyRootMove
    }

    static func getModel(_ level: ResourceLevel) -> String {
        level == .patient ? SOPClass.patientRootGet : SOPClass.studyRootGet
    }

    // MARK: C-FIND

    /// C-FIND of `query` (a complete identifier, level included) at `modality`; answers every match.
    func find(_ query: DataSet, level: ResourceLevel, at modality: DicomModality, localAet: String? = nil,
              timeout: Int? = nil) async throws -> [DataSet] {
        guard modality.allowFind else {
            throw RESTError(.badRequest, "The modality \(modality.aet) is not allowed to be queried (AllowFind is false)")
        }
        let model = Self.findModel(level)
        return try await scu.reaching(modality) {
            try await scu.client(modality, localAet: localAet, timeout: timeout).withAssociation(
                proposing: [(model, Self.uncompressed)]) { try await $0.find(sopClass: model, identifier: query) }
        }
    }

    // MARK: C-MOVE

    /// C-MOVE of each identifier (one resource each) from `modality` to `targetAet`, on one association.
    func move(_ identifiers: [DataSet], level: ResourceLevel, from modality: DicomModality, to targetAet: String,
              localAet: String? = nil, timeout: Int? = nil) async throws -> RetrieveReport {
        guard modality.allowMove else {
            throw RESTError(.badRequest, "C-MOVE from the modality \(modality.aet) is not allowed (AllowMove is false)")
        }
        var report = RetrieveReport(localAet: localAet ?? modality.localAet ?? scu.configuration.dicomAet,
                                    remoteAet: modality.aet, query: identifiers)
        guard !identifiers.isEmpty else { return report }
        let model = Self.moveModel(level)
        let counts = try await scu.reaching(modality) { try await scu.client(modality, localAet: localAet, timeout: timeout).withAssociation(
            proposing: [(model, Self.uncompressed)]) { association in
            var total = SubOperationCounts()
            for identifier in identifiers {
                let result = try await association.move(sopClass: model, identifier: identifier, destination: targetAet)
                total.completed += result.counts.completed
                total.failed += result.counts.failed
                total.warning += result.counts.warning
                guard result.status.isSuccess || result.status.isWarning else {
                    throw DICOMNetworkError(.unexpectedResponse, "C-MOVE from \(modality.aet) to \(targetAet) "
                                            + "failed with status \(result.status) (\(result.counts.failed) failed)")
                }
            }
            return total
        } }
        report.counts = counts
        return report
    }

    // MARK: C-GET

    /// C-GET of each identifier from `modality`: the instances arrive on the same association and are stored here.
    func get(_ identifiers: [DataSet], level: ResourceLevel, from modality: DicomModality, localAet: String? = nil,
             timeout: Int? = nil) async throws -> RetrieveReport {
        guard modality.allowGet else {
            throw RESTError(.badRequest, "C-GET from the modality \(modality.aet) is not allowed (AllowGet is false)")
        }
        var report = RetrieveReport(localAet: localAet ?? modality.localAet ?? scu.configuration.dicomAet,
                                    remoteAet: modality.aet, query: identifiers)
        guard !identifiers.isEmpty else { return report }
        let model = Self.getModel(level)
        // One context for the model, then two per storage class (uncompressed, compressed): 128 at most in all.
        var contexts: [(abstractSyntax: String, transferSyntaxes: [String])] = [(model, Self.uncompressed)]
        for sopClass in Self.getStorageClasses {
            contexts.append((sopClass, Self.uncompressed))
            contexts.append((sopClass, Self.compressed))
        }
        let roles = Self.getStorageClasses.map { RoleSelection(sopClassUID: $0, scuRole: false, scpRole: true) }
        let handler = RetrievedInstanceStore(ingest: ingest, logger: logger)
        let counts = try await scu.reaching(modality) { try await scu.client(modality, localAet: localAet, timeout: timeout).withAssociation(
            proposing: Array(contexts.prefix(128)), roleSelections: roles) { association in
            var total = SubOperationCounts()
            for identifier in identifiers {
                let result = try await association.get(sopClass: model, identifier: identifier, handler: handler)
                total.completed += result.counts.completed
                total.failed += result.counts.failed
                total.warning += result.counts.warning
                guard result.status.isSuccess || result.status.isWarning else {
                    throw DICOMNetworkError(.unexpectedResponse, "C-GET from \(modality.aet) failed with status "
                                            + "\(result.status) (\(result.counts.failed) failed)")
                }
            }
            return total
        } }
        report.counts = counts
        return report
    }

    /// Compressed syntaxes offered for C-GET sub-operations; the peer picks one per storage class.
    static let compressed = [
        "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
        "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
        "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
    ]

    /// The storage classes proposed for C-GET (SCP role): the common ones, since a proposal holds 128 contexts
    /// and there are far more storage classes; instances of other classes cannot arrive by C-GET.
    static let getStorageClasses: [String] = [
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1",
        "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.1.2.1", "1.2.840.10008.5.1.4.1.1.1.3",
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.3.1",
        "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.4.2",
        "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.6.2", "1.2.840.10008.5.1.4.1.1.7",
        "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3",
        "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.2",
        "1.2.840.10008.5.1.4.1.1.13.1.3", "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.128",
        "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2",
        "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.481.5", "1.2.840.10008.5.1.4.1.1.88.11",
        "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.59",
        "1.2.840.10008.5.1.4.1.1.11.1", "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.66.4",
        "1.2.840.10008.5.1.4.1.1.77.1.4", "1.2.840.10008.5.1.4.1.1.77.1.1", "1.2.840.10008.5.1.4.1.1.77.1.5.1",
        "1.2.840.10008.5.1.4.1.1.30", "1.2.840.10008.5.1.4.1.1.66", "1.2.840.10008.5.1.4.1.1.6.1.0",
        "1.2.840.10008.5.1.4.1.1.5", "1.2.840.10008.5.1.4.1.1.6", "1.2.840.10008.5.1.4.1.1.3",
        "1.2.840.10008.5.1.4.1.1.9.1.1", "1.2.840.10008.5.1.4.1.1.2.2", "1.2.840.10008.5.1.4.1.1.4.4",
        "1.2.840.10008.5.1.4.1.1.12.1.1", "1.2.840.10008.5.1.4.1.1.12.2.1", "1.2.840.10008.5.1.4.1.1.13.1.1",
        "1.2.840.10008.5.1.4.1.1.13.1.2", "1.2.840.10008.5.1.4.1.1.481.4", "1.2.840.10008.5.1.4.1.1.481.6",
        "1.2.840.10008.5.1.4.1.1.481.7", "1.2.840.10008.5.1.4.1.1.481.8", "1.2.840.10008.5.1.4.1.1.67",
        "1.2.840.10008.5.1.4.1.1.88.67", "1.2.840.10008.5.1.4.1.1.128.1", "1.2.840.10008.5.1.4.1.1.4.3",
        "1.2.840.10008.5.1.4.1.1.77.1.6", "1.2.840.10008.5.1.4.1.1.9.4.1", "1.2.840.10008.5.1.4.1.1.88.34",
    ]

    // MARK: identifiers

    /// The keys Orthanc always asks for at `level` (empty when the caller gave none), so answers can be retrieved.
    static func identifierTags(_ level: ResourceLevel) -> [Tag] {
        switch level {
        case .patient: [.patientID]
        case .study: [Tag(0x0008, 0x0050), .patientID, .studyInstanceUID]
        case .series: [.studyInstanceUID, .seriesInstanceUID]
        case .instance: [.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID]
        }
    }

    /// The unique keys a retrieve sends at `level` (PS3.4 C.4.2.1.4: the level's key and those above it; the
    /// Patient Root model alone names the patient).
    static func retrieveTags(_ level: ResourceLevel) -> [Tag] {
        switch level {
        case .patient: [.patientID]
        case .study: [.studyInstanceUID]
        case .series: [.studyInstanceUID, .seriesInstanceUID]
        case .instance: [.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID]
        }
    }

    /// A C-FIND identifier from Orthanc's JSON query (`{"PatientName": "DOE*", "0008,0020": "2020-"}`): names or
    /// `gggg,eeee` keys, string values. With `normalize`, keys whose tags belong below `level` are dropped.
    static func findIdentifier(_ query: JSONObject, level: ResourceLevel, normalize: Bool,
                               addIdentifiers: Bool = true) throws -> DataSet {
        var values: [(Tag, String)] = []
        for member in query {
            guard let tag = Finder.tag(named: member.key) else {
                throw RESTError(.badRequest, "Unknown DICOM tag in the query: \(member.key)")
            }
            guard let text = member.value.stringValue else {
                throw RESTError(.badFileFormat, "The value of \(member.key) in the query must be a string", httpStatus: 400)
            }
            guard text.utf8.count <= 1 << 16 else {
                throw RESTError(.badRequest, "The value of \(member.key) in the query is too long")
            }
            if normalize, isBelow(tag, level) { continue }
            values.append((tag, text))
        }
        return identifier(values, level: level, addIdentifiers: addIdentifiers)
    }

    /// The query as the caller gave it (after normalisation), as `/queries/{id}/query` shows it: no level, no
    /// identifier keys added.
    static func shownQuery(_ query: JSONObject, level: ResourceLevel, normalize: Bool) throws -> DataSet {
        let identifier = try findIdentifier(query, level: level, normalize: normalize, addIdentifiers: false)
        return DataSet(identifier.filter { $0.tag != queryRetrieveLevel && $0.tag != .specificCharacterSet })
    }

    /// Whether `tag` is a main tag of a level below `level` (meaningless in a query at `level`).
    static func isBelow(_ tag: Tag, _ level: ResourceLevel) -> Bool {
        if MainDicomTags.owningLevel(of: tag, forQueryAt: level) != nil { return false }
        if identifierTags(level).contains(tag) { return false }
        return ResourceLevel.allCases.contains { $0 > level && MainDicomTags.tags($0).contains(tag) }
    }

    /// An identifier: Query/Retrieve Level, the given keys, and empty identifier keys of the level.
    static func identifier(_ values: [(Tag, String)], level: ResourceLevel, addIdentifiers: Bool = true) -> DataSet {
        let ascii = values.allSatisfy { $0.1.utf8.allSatisfy { $0 < 0x80 } }
        let charset: SpecificCharacterSet = ascii ? .default : .utf8
        var set = DataSet()
        if !ascii { set.set(.string(.specificCharacterSet, .CS, "ISO_IR 192")) }
        set.set(.string(queryRetrieveLevel, .CS, FindSCP.levelName(level)))
        for (tag, text) in values where tag != queryRetrieveLevel && tag != .specificCharacterSet {
            var vr = DataDictionary.vr(for: tag)
            if vr == .UN || vr == .SQ { vr = .LO }
            set.set(.string(tag, vr, text, characterSet: charset))
        }
        if addIdentifiers {
            for tag in identifierTags(level) where set[tag] == nil {
                set.set(DataElement(tag: tag, vr: DataDictionary.vr(for: tag), bytes: []))
            }
        }
        return set
    }

    /// The retrieve identifier of one C-FIND answer, as Orthanc sends it: the level and the answer's identifier
    /// keys (its unique keys must be there and non-empty; nil otherwise).
    static func retrieveIdentifier(of answer: DataSet, level: ResourceLevel) -> DataSet? {
        for tag in retrieveTags(level) {
            guard let value = answer.string(tag), !value.isEmpty else { return nil }
        }
        var values: [(Tag, String)] = []
        for tag in Set(identifierTags(level) + retrieveTags(level)).sorted() {
            if let value = answer.string(tag) { values.append((tag, value)) }
        }
        return identifier(values, level: level, addIdentifiers: false)
    }
}

/// Stores the instances that arrive during a C-GET, through the same ingest as every other door.
struct RetrievedInstanceStore: StoreHandler {
    let ingest: Ingest
    let logger: Logger

    func store(_ request: StoreRequest) async -> DIMSEStatus {
        let info = request.association
        let origin = IngestOrigin(door: .dicomProtocol, remoteIP: info.remoteAddress, remoteAET: info.calledAETitle,
                                  calledAET: info.callingAETitle)
        do {
            _ = try await ingest.store(try request.part10(), origin: origin)
            return .success
        } catch {
            logger.warning("C-GET: storing \(request.sopInstanceUID) failed: \(error)")
            return .unableToProcess
        }
    }
}
