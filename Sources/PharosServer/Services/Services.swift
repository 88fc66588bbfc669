import DICOM
import Foundation
import Logging
import PharosIndex
import PharosStorage

/// The services built once at start-up and handed to the route groups and DIMSE handlers that use them.
struct Services: Sendable {
    let index: any Index
    let storage: any StorageArea
    let ingest: Ingest
    let deletion: Deletion
    let finder: Finder
    let logger: Logger
    /// DicomModalities at run time and who may use which DIMSE service.
    let dicomAccess: DICOMAccess
    /// The answers of `POST /modalities/{id}/query`, kept in memory for `/queries`.
    let queries: QueryRetrieveArchive
    /// Work run in the background at a REST call's request (`/jobs`).
    let jobs: Jobs
    /// How `/tools/shutdown` and `/tools/reset` reach the serving loop.
    let control = ServerControl()
    /// REST activity and whether `/tools/metrics-prometheus` answers.
    let metrics: Metrics
    /// The task that turns quiet resources stable; cancelled at shutdown.
    let stabilityMonitor: Task<Void, Never>?

    /// Opens the storage area and the index named by the configuration.
    static func start(configuration: ServerConfiguration, logger: Logger) async throws -> Services {
        let storage = try FileSystemStorageArea(root: configuration.storageDirectory,
                                                compression: configuration.storageCompression ? .zlib : .none)
        let index = try SQLiteIndex(directory: configuration.indexDirectory)
        return make(index: index, storage: storage, configuration: configuration, logger: logger, monitorStability: true)
    }

    /// Builds the services over an opened index and storage area (tests use it with a temporary folder).
    static func make(index: any Index, storage: any StorageArea, configuration: ServerConfiguration, logger: Logger,
                     monitorStability: Bool) -> Services {
        let deletion = Deletion(index: index, storage: storage, logger: logger)
        let ingest = Ingest(index: index, storage: storage, deletion: deletion, configuration: configuration, logger: logger)
        let finder = Finder(index: index, storage: storage, configuration: configuration)
        let monitor = monitorStability
            ? StabilityMonitor(index: index, stableAge: configuration.stableAge, logger: logger).start() : nil
        let access = DICOMAccess(registry: ModalityRegistry(configuration.dicomModalities), configuration: configuration)
        return Services(index: index, storage: storage, ingest: ingest, deletion: deletion, finder: finder,
                        logger: logger, dicomAccess: access, queries: QueryRetrieveArchive(),
                        jobs: Jobs(concurrentJobs: configuration.concurrentJobs,
                                   historySize: configuration.jobsHistorySize),
                        metrics: Metrics(enabled: configuration.metricsEnabled),
                        stabilityMonitor: monitor)
    }

    func shutdown() async throws {
        await jobs.shutdown()
        stabilityMonitor?.cancel()
        await stabilityMonitor?.value
    }
}

/// Marks series, studies and patients stable once no instance has arrived for `StableAge` seconds; the index logs
/// the Stable* changes in the same transaction, so the state lives in the index, not in this process.
struct StabilityMonitor: Sendable {
    let index: any Index
    let stableAge: Double
    let logger: Logger

    func start() -> Task<Void, Never> {
        Task.detached {
            while !Task.isCancelled {
                do {
                    _ = try await index.markStable(olderThan: stableAge)
                } catch {
                    logger.warning("Cannot mark resources as stable: \(error)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
