import DICOM

/// The index of a Pharos server: operations sized to use cases, each one transaction in the backend (DESIGN.md).
/// The SQLite backend is the embedded default; a PostgreSQL backend implements the same protocol.
public protocol Index: Sendable {
    /// Records a new instance and any new ancestors, with main tags, metadata, attachments and change-log rows,
    /// in one transaction. With `overwrite`, an instance already present is replaced.
    func store(_ instance: NewInstance, overwrite: Bool) async throws -> StoreOutcome

    /// `store` for an instance whose file is still being written. The index records the attachments once
    /// `pending` has them, and commits only then; when it throws, nothing of the instance is kept. An idle index
    /// does its own part meanwhile.
    func store(_ instance: NewInstance, overwrite: Bool, pending: any PendingAttachments) async throws -> StoreOutcome

    /// True when the index holds the instance `publicID`. Blocking: for callers already off the event loops, such
    /// as the ingest on its storage thread, where an asynchronous read would add a hop each way to every store.
    func containsInstance(_ publicID: String) throws -> Bool

    /// The resource with `publicID` at `level`, or nil.
    func resource(_ level: ResourceLevel, _ publicID: String) async throws -> ResourceRecord?
    /// Several resources at once (for `?expand` and find answers), in the order asked; missing ones are left out.
    func resources(_ level: ResourceLevel, _ publicIDs: [String]) async throws -> [ResourceRecord]
    /// The main tags of several resources and of their ancestors, in one read (for C-FIND answers), in the order
    /// asked; missing ones are left out.
    func lineages(_ level: ResourceLevel, _ publicIDs: [String]) async throws -> [ResourceLineage]
    /// Public IDs at `level` in insertion order, for `GET /{level}?since=&limit=`.
    func list(_ level: ResourceLevel, since: Int, limit: Int?) async throws -> [String]
    /// Public IDs of every descendant at `level` of a resource (e.g. the instances of a study).
    func descendants(of level: ResourceLevel, _ publicID: String, at target: ResourceLevel) async throws -> [String]
    /// The level of a public ID, whatever it is.
    func level(of publicID: String) async throws -> ResourceLevel?
    /// Resources whose identifier tag (PatientID, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID) equals `value`.
    func lookup(identifier value: String) async throws -> [(level: ResourceLevel, publicID: String)]
    /// Public IDs matching a find query, in insertion order. Constraints must be on main tags of the query level or
    /// of its ancestors (`MainDicomTags.owningLevel`); any other tag throws `IndexError.unsupportedConstraint`,
    /// so the caller filters those on the instances' headers itself.
    func find(_ query: FindQuery) async throws -> [String]

    /// Deletes a resource and its descendants, returning what went (files are removed by the caller afterwards).
    func delete(_ level: ResourceLevel, _ publicID: String) async throws -> DeletionOutcome?

    /// Attachments of a resource, and one by kind.
    func attachments(_ level: ResourceLevel, _ publicID: String) async throws -> [Attachment]
    /// Puts `replacement` in the place of the resource's attachment of the same kind, provided that attachment is
    /// still the file `expectedUUID` (nobody replaced or deleted it meanwhile); answers whether it did.
    func replaceAttachment(_ level: ResourceLevel, _ publicID: String, expectedUUID: String,
                           with replacement: Attachment) async throws -> Bool
    /// The stored header (file bytes up to pixel data) of an instance, if one was recorded.
    func header(ofInstance publicID: String) async throws -> [UInt8]?

    /// Metadata of a resource ([:] when it does not exist); patients, studies and series also get `LastUpdate`.
    func metadata(_ level: ResourceLevel, _ publicID: String) async throws -> [MetadataKind: String]
    func setMetadata(_ level: ResourceLevel, _ publicID: String, _ kind: MetadataKind, _ value: String?) async throws -> Bool

    /// The labels of a resource, sorted; nil when the resource does not exist.
    func labels(_ level: ResourceLevel, _ publicID: String) async throws -> [String]?
    /// Adds (`present`) or removes a label of a resource; false when the resource does not exist.
    func setLabel(_ level: ResourceLevel, _ publicID: String, _ label: String, present: Bool) async throws -> Bool
    /// Every label some resource carries, sorted.
    func allLabels() async throws -> [String]

    /// The protected flag (protected patients are never recycled).
    func setProtected(_ publicID: String, _ isProtected: Bool) async throws -> Bool

    /// The change log: changes after `since`, at most `limit`, and whether the log is exhausted; `last` is, as in
    /// Orthanc, the seq of the last change returned, or the highest seq of the log when none is returned.
    func changes(since: Int64, limit: Int) async throws -> (changes: [Change], done: Bool, last: Int64)
    func lastChange() async throws -> Change?
    func clearChanges() async throws
    func clearExports() async throws

    /// Records a change not produced by ingest or deletion (stable events, metadata updates).
    func logChange(_ type: ChangeType, _ level: ResourceLevel, _ publicID: String) async throws

    /// Global statistics and per-resource statistics.
    func statistics() async throws -> Statistics
    func statistics(_ level: ResourceLevel, _ publicID: String) async throws -> Statistics?

    /// Resources that have had no new instance for `age` seconds and are not yet stable: marks them stable and
    /// answers them, so the caller can log Stable* changes (done here in the same transaction).
    func markStable(olderThan age: Double) async throws -> [(level: ResourceLevel, publicID: String)]

    /// The oldest unprotected patient (by last update), for recycling; nil when none can be recycled.
    func oldestRecyclablePatient(excluding publicID: String?) async throws -> String?

    /// Global key-value properties (schema version, server identity …).
    func globalProperty(_ key: String) async throws -> String?
    func setGlobalProperty(_ key: String, _ value: String) async throws
}

/// Attachments whose files are still being written to the storage area.
public protocol PendingAttachments: Sendable {
    /// Suspends until the files are written, or failed to be.
    func ready() async
    /// The attachments, blocking until the files are on disk; throws when one could not be written.
    func attachments() throws -> [Attachment]
}
