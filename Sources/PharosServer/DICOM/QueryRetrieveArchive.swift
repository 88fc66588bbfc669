import DICOM
import Foundation
import PharosIndex

/// One C-FIND run through `POST /modalities/{id}/query`, kept so its answers can be read and retrieved later.
struct RemoteQuery: Sendable {
    let id: String
    /// The symbolic name of the modality queried (`/queries/{id}/modality`).
    let modalityName: String
    /// The modality as it was configured when the query ran, so a later retrieve reaches the same peer.
    let modality: DicomModality
    let level: ResourceLevel
    /// The query as the caller gave it (`/queries/{id}/query`).
    let query: DataSet
    let answers: [DataSet]
    let localAet: String?
    let timeout: Int?
}

/// The queries of `/queries`, in memory and bounded (Orthanc's `QueryRetrieveSize`): the oldest is dropped when full.
actor QueryRetrieveArchive {
    /// Orthanc's default `QueryRetrieveSize`.
    static let defaultCapacity = 100

    private var queries: [String: RemoteQuery] = [:]
    /// IDs, oldest first.
    private var order: [String] = []
    let capacity: Int

    init(capacity: Int = QueryRetrieveArchive.defaultCapacity) { self.capacity = max(capacity, 1) }

    /// Keeps `query`, dropping the oldest ones past the capacity.
    func add(_ query: RemoteQuery) {
        queries[query.id] = query
        order.append(query.id)
        while order.count > capacity {
            queries.removeValue(forKey: order.removeFirst())
        }
    }

    func query(_ id: String) -> RemoteQuery? { queries[id] }

    /// The IDs kept, oldest first.
    func ids() -> [String] { order }

    /// Forgets a query; false when there was none with that ID.
    func remove(_ id: String) -> Bool {
        guard queries.removeValue(forKey: id) != nil else { return false }
        order.removeAll { $0 == id }
        return true
    }
}
