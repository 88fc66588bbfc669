import Foundation
import Logging
import PharosIndex
import PharosStorage
import Testing
@testable import PharosServer

/// The real storage area, counting the files written through it.
private final class CountingStorage: StorageArea, @unchecked Sendable {
    let inner: FileSystemStorageArea
    private let lock = NSLock()
    private var count = 0

    init(_ inner: FileSystemStorageArea) { self.inner = inner }

    var writes: Int { lock.withLock { count } }

    func write(bytes: [UInt8]) throws(StorageError) -> StoredFile {
        lock.withLock { count += 1 }
        return try inner.write(bytes: bytes)
    }

    func write(fileAt url: URL, move: Bool) throws(StorageError) -> StoredFile {
        lock.withLock { count += 1 }
        return try inner.write(fileAt: url, move: move)
    }

    func read(_ uuid: String, compression: StorageCompression) throws(StorageError) -> [UInt8] {
        try inner.read(uuid, compression: compression)
    }

    func read(_ uuid: String, compression: StorageCompression, range: Range<Int64>) throws(StorageError) -> [UInt8] {
        try inner.read(uuid, compression: compression, range: range)
    }

    func readStored(_ uuid: String) throws(StorageError) -> [UInt8] { try inner.readStored(uuid) }
    func remove(_ uuid: String) throws(StorageError) { try inner.remove(uuid) }
    func exists(_ uuid: String) -> Bool { inner.exists(uuid) }
    func storedUUIDs() throws(StorageError) -> [String] { try inner.storedUUIDs() }

    func removeTemporaryFiles(olderThan age: TimeInterval) throws(StorageError) -> Int {
        try inner.removeTemporaryFiles(olderThan: age)
    }
}

@Suite struct IngestTests {
    /// An ingest over a real index and storage area in a temporary folder.
    private static func withIngest(overwrite: Bool,
                                   _ body: (Ingest, CountingStorage, FileSystemStorageArea) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-ingest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = ServerConfiguration()
        configuration.overwriteInstances = overwrite
        let index = try SQLiteIndex(directory: dir + "/index")
        let files = try FileSystemStorageArea(root: dir + "/storage", syncOnWrite: false)
        let storage = CountingStorage(files)
        let logger = Logger(label: "IngestTests")
        let ingest = Ingest(index: index, storage: storage, deletion: Deletion(index: index, storage: storage, logger: logger),
                            configuration: configuration, logger: logger)
        try await body(ingest, storage, files)
    }

    @Test func anInstanceStoredAlreadyIsAnsweredWithoutWritingItsFileAgain() async throws {
        let bytes = try RESTTests.file("CT_small.dcm")
        let origin = IngestOrigin.rest(remoteIP: "127.0.0.1", username: nil)
        try await Self.withIngest(overwrite: false) { ingest, storage, files in
            let first = try await ingest.store(bytes, origin: origin)
            #expect(first.status == .success && storage.writes == 1)
            let again = try await ingest.store(bytes, origin: origin)
            #expect(again.status == .alreadyStored && again.identifiers == first.identifiers)
            #expect(storage.writes == 1, "the duplicate was written to disk")
            #expect(try files.storedUUIDs().count == 1)
        }
        // With OverwriteInstances the copy replaces the stored one: written, and the old file removed.
        try await Self.withIngest(overwrite: true) { ingest, storage, files in
            _ = try await ingest.store(bytes, origin: origin)
            let again = try await ingest.store(bytes, origin: origin)
            #expect(again.status == .success && storage.writes == 2)
            #expect(try files.storedUUIDs().count == 1)
        }
    }
}
