import Foundation

/// A file a job produced for download at `/jobs/{id}/{key}` (the ZIP of an archive job), kept in the system's
/// temporary folder until the job is forgotten.
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
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RESTError(.cannotWriteFile, "Cannot create the job's output file \(path)")
        }
        defer { try? handle.close() }
        return try await produce { part in try handle.write(contentsOf: part) }
    }

    /// The file's bytes, read in parts of `chunk` bytes.
    func read(chunk: Int, _ body: ([UInt8]) async throws -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RESTError(.inexistentFile, "The job's output is gone")
        }
        defer { try? handle.close() }
        while let data = try handle.read(upToCount: chunk), !data.isEmpty { try await body([UInt8](data)) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
