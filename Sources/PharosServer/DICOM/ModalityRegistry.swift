import DICOM
import DICOMNetwork

/// The `DicomModalities` of the running server: read from the configuration, changed by `PUT/DELETE /modalities`.
actor ModalityRegistry {
    private var modalities: [String: DicomModality]

    init(_ modalities: [String: DicomModality]) { self.modalities = modalities }

    /// Every modality by symbolic name.
    func all() -> [String: DicomModality] { modalities }

    func modality(named name: String) -> DicomModality? { modalities[name] }

    func set(_ modality: DicomModality, named name: String) { modalities[name] = modality }

    /// Removes a modality; false when there was none of that name.
    func remove(named name: String) -> Bool { modalities.removeValue(forKey: name) != nil }

    /// The modalities whose AE title is `aeTitle` (sorted by name, so answers are stable).
    func modalities(aeTitle: String, strict: Bool) -> [(name: String, modality: DicomModality)] {
        modalities.filter { $0.value.matches(aeTitle: aeTitle, strict: strict) }.sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }
}

/// The DIMSE services a caller may be allowed or refused (Orthanc's `Allow*` and `DicomAlwaysAllow*`).
enum DIMSEService: Sendable {
    case echo, store, find, move, get
}

/// Orthanc's rules on who may associate and ask what: any `DicomAlwaysAllow*` lets unknown callers associate;
/// each request is then allowed by its `DicomAlwaysAllow*` switch or by a matching modality's `Allow*` flag.
struct DICOMAccess: Sendable {
    let registry: ModalityRegistry
    let configuration: ServerConfiguration

    private func alwaysAllowed(_ service: DIMSEService) -> Bool {
        switch service {
        case .echo: configuration.dicomAlwaysAllowEcho
        case .store: configuration.dicomAlwaysAllowStore
        case .find: configuration.dicomAlwaysAllowFind
        case .move: configuration.dicomAlwaysAllowMove
        case .get: configuration.dicomAlwaysAllowGet
        }
    }

    /// The modalities matching the caller's AE title (and, with `DicomCheckModalityHost`, its address).
    func callerModalities(_ info: AssociationInfo) async -> [DicomModality] {
        let candidates = await registry.modalities(aeTitle: info.callingAETitle,
                                                   strict: configuration.strictAetComparison).map(\.modality)
        guard configuration.dicomCheckModalityHost else { return candidates }
        return candidates.filter { $0.host == info.remoteAddress }
    }

    /// Whether the association may be accepted at all.
    func acceptsAssociation(_ info: AssociationInfo) async -> Bool {
        let c = configuration
        if c.dicomAlwaysAllowEcho || c.dicomAlwaysAllowStore || c.dicomAlwaysAllowFind || c.dicomAlwaysAllowMove
            || c.dicomAlwaysAllowGet {
            return true
        }
        return !(await callerModalities(info)).isEmpty
    }

    /// Whether the caller may run `service`.
    func allows(_ service: DIMSEService, _ info: AssociationInfo) async -> Bool {
        if alwaysAllowed(service) { return true }
        return await callerModalities(info).contains { m in
            switch service {
            case .echo: m.allowEcho
            case .store: m.allowStore
            case .find: m.allowFind
            case .move: m.allowMove
            case .get: m.allowGet
            }
        }
    }
}

extension DIMSEStatus {
    /// "Refused: not authorized" (PS3.7 C.5.5): the caller may not use this service.
    static let notAuthorized = DIMSEStatus(0x0124)
}
