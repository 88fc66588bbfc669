import DICOM
import DICOMNetwork
import PharosIndex

/// C-MOVE and C-GET SCP: the identifier selects resources at its level (by their unique keys or any other main
/// tag), every instance below them is sent; C-MOVE destinations come from `DicomModalities`.
struct RetrieveSCP: RetrieveHandler {
    let index: any Index
    let finder: Finder
    let instanceData: InstanceData
    let access: DICOMAccess

    static let models: Set<String> = [SOPClass.patientRootMove, SOPClass.patientRootGet,
                                      SOPClass.studyRootMove, SOPClass.studyRootGet]

    func retrieve(_ request: RetrieveRequest) async throws -> [RetrieveItem] {
        guard Self.models.contains(request.sopClassUID) else {
            throw DIMSEFailure(.sopClassNotSupported, "Only the Patient Root and Study Root models are served")
        }
        let service: DIMSEService = request.moveDestination == nil ? .get : .move
        guard await access.allows(service, request.association) else {
            throw DIMSEFailure(.notAuthorized, "\(request.association.callingAETitle) may not retrieve")
        }
        guard let level = FindSCP.level(request.level) else {
            throw DIMSEFailure(.dataSetDoesNotMatchSOPClass, "Unknown Query/Retrieve Level \"\(request.level)\"")
        }
        let instances = try await Self.instances(matching: request.identifier, level: level, index: index, finder: finder)
        return try await items(instances)
    }

    /// The instances below the resources `identifier` selects at `level`; an identifier without any key selects
    /// nothing (a retrieve of the whole archive is never what was meant).
    static func instances(matching identifier: DataSet, level: ResourceLevel, index: any Index,
                          finder: Finder) async throws -> [String] {
        let charset = identifier.specificCharacterSet()
        var query = FindQuery(level: level, caseSensitive: false)
        for element in identifier where element.tag.group != 0x0002 && !FindSCP.isControl(element.tag) {
            if case .sequence = element.value { continue }
            guard let value = element.string(charset), !value.isEmpty, value != "*",
                  MainDicomTags.owningLevel(of: element.tag, forQueryAt: level) != nil else { continue }
            query.constraints[element.tag] = Finder.constraint(value, tag: element.tag)
        }
        guard !query.constraints.isEmpty else {
            throw DIMSEFailure(.dataSetDoesNotMatchSOPClass, "The identifier holds no key to select what to retrieve")
        }
        let resources = try await index.find(query)
        if level == .instance { return resources }
        var out: [String] = []
        for id in resources { out += try await index.descendants(of: level, id, at: .instance) }
        return out
    }

    /// One retrieve item per instance, loading its file only when it is sent.
    func items(_ instances: [String]) async throws -> [RetrieveItem] {
        var items: [RetrieveItem] = []
        items.reserveCapacity(instances.count)
        for id in instances {
            let metadata = try await index.metadata(.instance, id)
            var sopClass = metadata[.sopClassUid]
            var syntax = metadata[.transferSyntax]
            var sopInstance = try await index.resource(.instance, id)?.mainTags[Tag(0x0008, 0x0018)]
            if sopClass == nil || syntax == nil || sopInstance == nil {
                let file = try await instanceData.file(ofInstance: id)
                sopClass = sopClass ?? file.dataSet.string(.sopClassUID)
                syntax = syntax ?? file.transferSyntax.uid
                sopInstance = sopInstance ?? file.dataSet.string(.sopInstanceUID)
            }
            let data = instanceData
            items.append(RetrieveItem(sopClassUID: sopClass ?? "", sopInstanceUID: sopInstance ?? "",
                                      transferSyntax: syntax ?? TransferSyntax.explicitVRLittleEndian.uid,
                                      load: { try await data.fileBytes(ofInstance: id) }))
        }
        return items
    }

    func destination(forAETitle aeTitle: String, request: RetrieveRequest) async -> DICOMPeer? {
        guard let (_, modality) = await access.registry.modalities(
            aeTitle: aeTitle, strict: access.configuration.strictAetComparison).first else { return nil }
        return DICOMPeer(aeTitle: modality.aet, host: modality.host, port: modality.port)
    }
}
