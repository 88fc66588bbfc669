/// The four levels of the DICOM information model as Orthanc names them (patient, study, series, instance).
public enum ResourceLevel: Int, Sendable, CaseIterable, Comparable, Codable {
    case patient = 0, study, series, instance

    /// Orthanc's name: "Patient", "Study", "Series", "Instance".
    public var name: String {
        switch self {
        case .patient: "Patient"
        case .study: "Study"
        case .series: "Series"
        case .instance: "Instance"
        }
    }

    /// The REST collection: "patients", "studies", "series", "instances".
    public var collection: String {
        switch self {
        case .patient: "patients"
        case .study: "studies"
        case .series: "series"
        case .instance: "instances"
        }
    }

    /// Parses a level name as Orthanc accepts it (case-insensitive, singular or plural).
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "patient", "patients": self = .patient
        case "study", "studies": self = .study
        case "series": self = .series
        case "instance", "instances", "image", "images": self = .instance
        default: return nil
        }
    }

    public var parent: ResourceLevel? { ResourceLevel(rawValue: rawValue - 1) }
    public var child: ResourceLevel? { ResourceLevel(rawValue: rawValue + 1) }

    /// The tag that identifies a resource of this level.
    public var identifierTag: Tag {
        switch self {
        case .patient: .patientID
        case .study: .studyInstanceUID
        case .series: .seriesInstanceUID
        case .instance: .sopInstanceUID
        }
    }

    public static func < (a: ResourceLevel, b: ResourceLevel) -> Bool { a.rawValue < b.rawValue }
}
