import DICOM
import DICOMNetwork
import PharosIndex

/// C-FIND SCP for the Patient Root and Study Root models (PS3.4 C.4.1): the identifier becomes a find on the
/// index with Orthanc's matching rules, and each match is answered with the requested keys.
struct FindSCP: FindHandler {
    let index: any Index
    let finder: Finder
    let instanceData: InstanceData
    let access: DICOMAccess
    let configuration: ServerConfiguration

    static let queryRetrieveLevel = Tag(0x0008, 0x0052)
    static let specificCharacterSet = Tag(0x0008, 0x0005)
    static let retrieveAETitle = Tag(0x0008, 0x0054)
    static let modalitiesInStudy = Finder.modalitiesInStudyTag
    static let sopClassesInStudy = Tag(0x0008, 0x0062)
    static let numberOfPatientRelatedStudies = Tag(0x0020, 0x1200)
    static let numberOfPatientRelatedSeries = Tag(0x0020, 0x1202)
    static let numberOfPatientRelatedInstances = Tag(0x0020, 0x1204)
    static let numberOfStudyRelatedSeries = Tag(0x0020, 0x1206)
    static let numberOfStudyRelatedInstances = Tag(0x0020, 0x1208)
    static let numberOfSeriesRelatedInstances = Tag(0x0020, 0x1209)
    static let instanceAvailability = Tag(0x0008, 0x0056)

    /// Keys computed from the hierarchy rather than stored: never turned into index constraints.
    static let computed: Set<Tag> = [retrieveAETitle, modalitiesInStudy, sopClassesInStudy,
                                     numberOfPatientRelatedStudies, numberOfPatientRelatedSeries,
                                     numberOfPatientRelatedInstances, numberOfStudyRelatedSeries,
                                     numberOfStudyRelatedInstances, numberOfSeriesRelatedInstances,
                                     instanceAvailability]

    /// The level named by Query/Retrieve Level (0008,0052).
    static func level(_ name: String) -> ResourceLevel? {
        switch name.trimmingCharacters(in: .whitespaces).uppercased() {
        case "PATIENT": .patient
        case "STUDY": .study
        case "SERIES": .series
        case "IMAGE": .instance
        default: nil
        }
    }

    static func levelName(_ level: ResourceLevel) -> String {
        switch level {
        case .patient: "PATIENT"
        case .study: "STUDY"
        case .series: "SERIES"
        case .instance: "IMAGE"
        }
    }

    func find(_ request: FindRequest) async throws -> AsyncThrowingStream<DataSet, Error> {
        guard request.sopClassUID == SOPClass.patientRootFind || request.sopClassUID == SOPClass.studyRootFind else {
            throw DIMSEFailure(.sopClassNotSupported, "Only the Patient Root and Study Root C-FIND models are served")
        }
        guard await access.allows(.find, request.association) else {
            throw DIMSEFailure(.notAuthorized, "\(request.association.callingAETitle) may not run C-FIND")
        }
        guard let level = Self.level(request.level) else {
            throw DIMSEFailure(.dataSetDoesNotMatchSOPClass, "Unknown Query/Retrieve Level \"\(request.level)\"")
        }
        let answers = try await answers(request.identifier, level: level,
                                        patientRoot: request.sopClassUID == SOPClass.patientRootFind)
        return AsyncThrowingStream { continuation in
            for answer in answers { continuation.yield(answer) }
            continuation.finish()
        }
    }

    /// The matches of `identifier` at `level`, each with the requested keys filled in.
    func answers(_ identifier: DataSet, level: ResourceLevel, patientRoot: Bool) async throws -> [DataSet] {
        let queryCharset = identifier.specificCharacterSet()
        var query = FindQuery(level: level, caseSensitive: false)
        var headerConstraints: [(Tag, TagConstraint)] = []
        var modalities: [String]?
        for element in identifier where element.tag.group != 0x0002 && !Self.isControl(element.tag) {
            if case .sequence = element.value { continue }
            guard let value = element.string(queryCharset), !value.isEmpty, value != "*" else { continue }
            if element.tag == Self.modalitiesInStudy {
                if level == .study { modalities = value.split(separator: "\\").map { String($0) } }
                continue
            }
            if Self.computed.contains(element.tag) { continue }
            let constraint = Finder.constraint(value, tag: element.tag)
            if MainDicomTags.owningLevel(of: element.tag, forQueryAt: level) != nil {
                query.constraints[element.tag] = constraint
            } else {
                headerConstraints.append((element.tag, constraint))
            }
        }
        let configured = level == .instance ? configuration.limitFindInstances : configuration.limitFindResults
        let limit = configured > 0 ? configured : nil
        query.limit = limit
        // The same ModalitiesInStudy filter as /tools/find: the limit then counts the studies that pass it.
        let ids = try await finder.run(Finder.Request(query: query, headerConstraints: headerConstraints, expand: false,
                                                      requestedTags: [], format: .human, modalitiesInStudy: modalities))
        var context = AnswerContext()
        return try await build(ids, level: level, identifier: identifier, patientRoot: patientRoot, context: &context)
    }

    /// Query/Retrieve Level and Specific Character Set are not matching keys.
    static func isControl(_ tag: Tag) -> Bool { tag == queryRetrieveLevel || tag == specificCharacterSet }

    /// What answers are built from: the matches' main tags with their ancestors', read in one batch, and the
    /// modalities of matched studies, read once when an answer asks for them.
    struct AnswerContext {
        var lineages: [String: ResourceLineage] = [:]
        var modalityCache: [String: [String]]?

        mutating func load(_ level: ResourceLevel, _ ids: [String], index: any Index) async throws {
            for lineage in try await index.lineages(level, ids) { lineages[lineage.publicIDs[0]] = lineage }
        }

        /// ModalitiesInStudy of a matched study; the first call reads those of every matched study in one batch.
        mutating func modalities(ofStudy id: String, index: any Index) async throws -> [String] {
            if modalityCache == nil {
                let studies = try await index.resources(.study, lineages.values.filter { $0.level == .study }
                    .map { $0.publicIDs[0] })
                let modalityOf = try await Finder.modalities(ofSeriesIn: studies, index: index)
                var cache: [String: [String]] = [:]
                for study in studies {
                    var out: [String] = []
                    for series in study.childrenIDs {
                        if let m = modalityOf[series], !m.isEmpty, !out.contains(m) { out.append(m) }
                    }
                    cache[study.publicID] = out
                }
                modalityCache = cache
            }
            return modalityCache?[id] ?? []
        }
    }

    private func build(_ ids: [String], level: ResourceLevel, identifier: DataSet, patientRoot: Bool,
                       context: inout AnswerContext) async throws -> [DataSet] {
        try await context.load(level, ids, index: index)
        let charsetTerm = identifier.string(Self.specificCharacterSet)
            .flatMap { $0.isEmpty ? nil : $0 }
            ?? SpecificCharacterSet(orthancEncoding: configuration.defaultEncoding)?.terms.joined(separator: "\\")
            ?? "ISO_IR 100"
        let charset = SpecificCharacterSet(value: charsetTerm)
        // The unique keys of the level and of the levels above it (PatientID only in the Patient Root model).
        var uniqueKeys: [Tag] = []
        var l: ResourceLevel? = level
        while let current = l {
            if current != .patient || patientRoot || level == .patient { uniqueKeys.append(current.identifierTag) }
            l = current.parent
        }
        // What every answer shares, worked out once: the two control elements and each key's VR.
        let charsetElement: DataElement? = charsetTerm.isEmpty ? nil : .string(Self.specificCharacterSet, .CS, charsetTerm)
        let levelElement = DataElement.string(Self.queryRetrieveLevel, .CS, Self.levelName(level))
        let keys: [(element: DataElement, vr: VR)] = identifier.compactMap { element in
            guard element.tag.group != 0x0002 && !Self.isControl(element.tag) else { return nil }
            let known = DataDictionary.vr(for: element.tag)
            return (element, known == .UN ? element.vr : known)
        }
        var answers: [DataSet] = []
        answers.reserveCapacity(ids.count)
        for id in ids {
            guard let lineage = context.lineages[id] else { continue }
            var answer = DataSet()
            if let charsetElement { answer.set(charsetElement) }
            answer.set(levelElement)
            var header: DataSet?
            var headerLoaded = false
            for (element, vr) in keys {
                let tag = element.tag
                if case .sequence = element.value {
                    answer.set(DataElement(tag: tag, vr: .SQ, value: .sequence([])))
                    continue
                }
                if let value = lineage.value(tag) {
                    answer.set(Self.element(tag, vr, value, charset))
                } else if let value = try await computed(tag, level: level, id: id, context: &context) {
                    answer.set(Self.element(tag, vr, value, charset))
                } else if level == .instance {
                    // Not a main tag: from the stored header, as Orthanc answers at instance level.
                    if !headerLoaded {
                        header = try? await instanceData.dataSet(ofInstance: id)
                        headerLoaded = true
                    }
                    if let found = header?[tag] {
                        if found.vr.usesSpecificCharacterSet, let text = found.string(header?.specificCharacterSet() ?? .default) {
                            answer.set(Self.element(tag, found.vr, text, charset))
                        } else {
                            answer.set(found)
                        }
                    } else {
                        answer.set(Self.element(tag, vr, "", charset))
                    }
                } else {
                    answer.set(Self.element(tag, vr, "", charset))
                }
            }
            for tag in uniqueKeys where answer[tag] == nil {
                if let value = lineage.value(tag) {
                    answer.set(Self.element(tag, DataDictionary.vr(for: tag), value, charset))
                }
            }
            answers.append(answer)
        }
        return answers
    }

    private static func element(_ tag: Tag, _ vr: VR, _ value: String, _ charset: SpecificCharacterSet) -> DataElement {
        .string(tag, vr, value, characterSet: charset)
    }

    /// The keys Orthanc computes from the hierarchy (counts, ModalitiesInStudy, SOPClassesInStudy, RetrieveAETitle).
    private func computed(_ tag: Tag, level: ResourceLevel, id: String,
                          context: inout AnswerContext) async throws -> String? {
        func count(_ target: ResourceLevel) async throws -> String {
            String(try await index.descendants(of: level, id, at: target).count)
        }
        switch (tag, level) {
        case (Self.retrieveAETitle, _): return configuration.dicomAet
        case (Self.instanceAvailability, _): return "ONLINE"
        case (Self.modalitiesInStudy, .study):
            return try await context.modalities(ofStudy: id, index: index).joined(separator: "\\")
        case (Self.sopClassesInStudy, .study):
            var classes: [String] = []
            for instance in try await index.descendants(of: .study, id, at: .instance) {
                if let c = try await index.metadata(.instance, instance)[.sopClassUid], !classes.contains(c) {
                    classes.append(c)
                }
            }
            return classes.joined(separator: "\\")
        case (Self.numberOfPatientRelatedStudies, .patient): return try await count(.study)
        case (Self.numberOfPatientRelatedSeries, .patient): return try await count(.series)
        case (Self.numberOfPatientRelatedInstances, .patient): return try await count(.instance)
        case (Self.numberOfStudyRelatedSeries, .study): return try await count(.series)
        case (Self.numberOfStudyRelatedInstances, .study): return try await count(.instance)
        case (Self.numberOfSeriesRelatedInstances, .series): return try await count(.instance)
        default: return nil
        }
    }
}
