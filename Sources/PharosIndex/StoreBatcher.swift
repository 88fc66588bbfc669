internal import GRDB

/// Group commit: stores that arrive while a write transaction is running wait and are then written together in
/// the next one. Each instance has its own savepoint, so a failing instance does not fail its neighbours.
/// An instance whose file is still being written never commits before the file is on disk. When the writer is idle,
/// its rows are written meanwhile and the transaction waits for the file before its attachment row; when a
/// transaction is running, the instance waits for its file first and joins a later one, so that no transaction
/// holds the writer for a file that others did not need.
actor StoreBatcher {
    private struct Pending {
        var job: Job
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    private struct Job: Sendable {
        var instance: NewInstance
        var overwrite: Bool
        var pending: (any PendingAttachments)?
    }

    /// Upper bound of instances per transaction, so one commit never holds the writer for long.
    static let maximumBatch = 256

    private let pool: DatabasePool
    private var pending: [Pending] = []
    private var flushing = false

    init(pool: DatabasePool) { self.pool = pool }

    func submit(_ instance: NewInstance, overwrite: Bool,
                pending files: (any PendingAttachments)?) async throws -> StoreOutcome {
        if let files, flushing { await files.ready() }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(job: Job(instance: instance, overwrite: overwrite, pending: files),
                                   continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flushAll() }
            }
        }
    }

    private func flushAll() async {
        while !pending.isEmpty {
            let count = min(pending.count, Self.maximumBatch)
            let batch = Array(pending.prefix(count))
            pending.removeFirst(count)
            let jobs = batch.map(\.job)
            let results: [Result<StoreOutcome, any Error>]
            do {
                results = try await pool.write { db in
                    let now = Timestamp.now()
                    let date = Timestamp.format(now)
                    return jobs.map { job in
                        Result {
                            var outcome = StoreOutcome.stored
                            try db.inSavepoint {
                                outcome = try SQLiteIndex.storeOne(db, job.instance, overwrite: job.overwrite,
                                                                   now: now, date: date,
                                                                   attachments: job.pending?.attachments)
                                return .commit
                            }
                            return outcome
                        }.mapError { IndexError.wrap($0, "store an instance") as any Error }
                    }
                }
            } catch {
                let wrapped = IndexError.wrap(error, "commit stored instances")
                results = batch.map { _ in .failure(wrapped) }
            }
            for (p, r) in zip(batch, results) { p.continuation.resume(with: r) }
        }
        flushing = false
    }
}
