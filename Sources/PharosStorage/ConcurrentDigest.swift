import Dispatch

/// The MD5 of a large buffer computed on another thread while the caller writes and syncs the same bytes:
/// on ingest the checksum then costs no wall time of its own.
final class ConcurrentDigest: @unchecked Sendable {
    /// Below this size a thread hop costs more than the hash.
    static let threshold = 256 * 1024

    // Written once by the hashing thread before `done` is signalled, read only after waiting on it.
    private var digest = ""
    private let done = DispatchSemaphore(value: 0)

    init(_ bytes: [UInt8]) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.digest = MD5.hexDigest(bytes)
            self.done.signal()
        }
    }

    /// Waits for the hash and returns its lower-case hexadecimal digest.
    func wait() -> String {
        done.wait()
        return digest
    }
}
