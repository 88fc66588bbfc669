import DICOM

/// One constraint of a find, on a main tag, with Orthanc's matching rules (PS3.4 C.2.2.2 and Orthanc's extensions).
public enum TagConstraint: Sendable, Equatable {
    /// Exact match (case-sensitive for UIDs and codes; names follow `caseSensitive`).
    case equal(String)
    /// `*` and `?` wildcards.
    case wildcard(String)
    /// Inclusive range of dates/times in DICOM form (either end open).
    case range(lower: String?, upper: String?)
    /// Any of these values (a `\`-separated list of UIDs or codes).
    case list([String])
}

/// A `/tools/find` or C-FIND query at one level.
public struct FindQuery: Sendable, Equatable {
    public var level: ResourceLevel
    /// Constraints on main tags of the query level or of its ancestors.
    public var constraints: [Tag: TagConstraint]
    public var caseSensitive: Bool
    public var since: Int
    public var limit: Int?
    public var labels: [String]
    /// How `labels` select: resources with every one (Orthanc's default), with any, or with none of them.
    public var labelsConstraint: LabelsConstraint = .all
    /// Study level only: a study matches when one of its series has one of these modalities (ModalitiesInStudy).
    public var modalitiesInStudy: [String]?

    public init(level: ResourceLevel, constraints: [Tag: TagConstraint] = [:], caseSensitive: Bool = true,
                since: Int = 0, limit: Int? = nil, labels: [String] = [], modalitiesInStudy: [String]? = nil) {
        self.level = level
        self.constraints = constraints
        self.caseSensitive = caseSensitive
        self.since = since
        self.limit = limit
        self.labels = labels
        self.modalitiesInStudy = modalitiesInStudy
    }
}

/// Orthanc's `LabelsConstraint` of `/tools/find`.
public enum LabelsConstraint: String, Sendable, Equatable {
    case all = "All", any = "Any", none = "None"
}
