import DICOM
import Logging
import PharosIndex
import PharosStorage

/// Deletes a resource and its descendants: one index transaction, then the files.
struct Deletion: Sendable {
    let index: any Index
    let storage: any StorageArea
    let logger: Logger

    /// Deletes the resource; nil when it does not exist.
    func delete(_ level: ResourceLevel, _ publicID: String) async throws -> DeletionOutcome? {
        guard let outcome = try await index.delete(level, publicID) else { return nil }
        let storage = self.storage, logger = self.logger
        let uuids = outcome.removedAttachments.map(\.uuid)
        try await Ingest.offloaded {
            for uuid in uuids {
                do { try storage.remove(uuid) } catch { logger.warning("Cannot remove attachment \(uuid): \(error)") }
            }
        }
        return outcome
    }
}
