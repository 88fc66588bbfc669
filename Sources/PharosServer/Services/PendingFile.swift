import Foundation
import NIOPosix
import PharosStorage

/// A file being written to the storage area on NIO's blocking pool while the index records its instance. The index
/// waits for it on its writer thread (`wait`), the ingest on its task (`outcome`).
final class PendingFile: @unchecked Sendable {
    /// What the write gave: the stored file, or nil when the instance was found in the index first and nothing
    /// was written.
    typealias Outcome = Result<StoredFile?, any Error>

    private let condition = NSCondition()
    private var result: Outcome?
    private var waiters: [CheckedContinuation<Outcome, Never>] = []

    /// Starts `write` on NIO's blocking pool.
    init(_ write: @escaping @Sendable () throws -> StoredFile?) {
        NIOThreadPool.singleton.submit { [self] state in
            guard case .active = state else {
                complete(.failure(StorageError(.io, "The server is stopping: the file was not written")))
                return
            }
            complete(Result { try write() })
        }
    }

    private func complete(_ outcome: Outcome) {
        condition.lock()
        result = outcome
        let resumed = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        for waiter in resumed { waiter.resume(returning: outcome) }
    }

    /// Blocks until the write is over.
    func wait() -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }

    /// Suspends until the write is over.
    var outcome: Outcome {
        get async {
            await withCheckedContinuation { continuation in
                condition.lock()
                if let result {
                    condition.unlock()
                    continuation.resume(returning: result)
                } else {
                    waiters.append(continuation)
                    condition.unlock()
                }
            }
        }
    }
}
