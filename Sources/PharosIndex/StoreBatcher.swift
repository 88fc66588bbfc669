internal import GRDB

/// Group commit: stores that arrive while a write transaction is running wait and are then written together in
/// the next one. Each instance has its own savepoint, so a failing instance does not fail its neighbours.
actor StoreBatcher {
    private struct Pending {
        var instance: NewInstance
        var overwrite: Bool
        var continuation: CheckedContinuation<StoreOutcome, any Error>
    }

    private struct Job: Sendable {
        var instance: NewInstance
        var overwrite: Bool
    }

    /// Upper bound of instances per transaction, so one commit never holds the writer for long.
    static let maximumBatch = 256

    private let pool: DatabasePool
    private var pending: [Pending] = []
    private var flushing = false

    init(pool: DatabasePool) { self.pool = pool }

    func submit(_ instance: NewInstance, overwrite: Bool) async throws -> StoreOutcome {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(instance: instance, overwrite: overwrite, continuation: continuation))
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
            let jobs = batch.map { Job(instance: $0.instance, overwrite: $0.overwrite) }
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
                                                                   now: now, date: date)
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
