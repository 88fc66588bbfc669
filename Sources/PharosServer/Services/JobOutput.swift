import Foundation
import NIOPosix

/// A file a job produced for download at `/jobs/{id}/{key}` (the ZIP of an archive job), kept in the system's
/// temporary folder until the job is forgotten. Its reads and writes run on NIO's blocking pool, never on the event
/// loops that run the jobs' tasks.
final class JobOutput: Sendable {
    let path: String
    let contentType: String
    let filename: String

    init(contentType: String, filename: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-job-\(UUID().uuidString)").path
        self.contentType = contentType
        self.filename = filename
    }

    /// Writes the file from the parts `produce` hands to its sink; answers what `produce` answers.
    func write<T>(_ produce: (_ sink: (_ part: [UInt8]) async throws -> Void) async throws -> T) async throws -> T {
        let path = self.path
        let fd = try await Self.blocking { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw RESTError(.cannotWriteFile, "Cannot create the job's output file \(path)") }
        defer { close(fd) }
        return try await produce { part in
            let written = try await Self.blocking {
                part.withUnsafeBytes { bytes -> Bool in
                    var offset = 0
                    while offset < bytes.count {
                        let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { return false }
                        offset += n
                    }
                    return true
                }
            }
            guard written else { throw RESTError(.cannotWriteFile, "Cannot write the job's output file \(path)") }
        }
    }

    /// The file's bytes, read in parts of `chunk` bytes.
    func read(chunk: Int, _ body: ([UInt8]) async throws -> Void) async throws {
        let path = self.path
        let fd = try await Self.blocking { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw RESTError(.inexistentFile, "The job's output is gone") }
        defer { close(fd) }
        while true {
            let part = try await Self.blocking { () -> [UInt8]? in
                var buffer = [UInt8](repeating: 0, count: chunk)
                var n: Int
                repeat {
                    n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, chunk) }
                } while n < 0 && errno == EINTR
                guard n >= 0 else { return nil }
                return Array(buffer[0 ..< n])
            }
            guard let part else { throw RESTError(.inexistentFile, "Cannot read the job's output file \(path)") }
            if part.isEmpty { return }
            try await body(part)
        }
    }

    func remove() { unlink(path) }

    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { body() }
    }
}
