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

    /// When set, each write announces itself on `entered`, then waits for the gate to open.
    nonisolated(unsafe) var gate: DispatchSemaphore?
    let entered = DispatchSemaphore(value: 0)
    /// Writes of these sizes fail, as a full disk would make them.
    nonisolated(unsafe) var failingSizes: Set<Int> = []

    init(_ inner: FileSystemStorageArea) { self.inner = inner }

    var writes: Int { lock.withLock { count } }

    func write(bytes: [UInt8]) throws(StorageError) -> StoredFile {
        lock.withLock { count += 1 }
        if let gate {
            entered.signal()
            gate.wait()
        }
        if failingSizes.contains(bytes.count) { throw StorageError(.io, "No space left on device (injected)") }
        return try inner.write(bytes: bytes)
    }

    func write(bytes: [UInt8], compression: StorageCompression) throws(StorageError) -> StoredFile {
        lock.withLock { count += 1 }
        return try inner.write(bytes: bytes, compression: compression)
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
    /// `storageMode` sets a 1 MB MaximumStorageSize with that MaximumStorageMode.
    private static func withIngest(overwrite: Bool, storageMode: String? = nil,
                                   _ body: (Ingest, CountingStorage, FileSystemStorageArea) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-ingest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = ServerConfiguration()
        configuration.overwriteInstances = overwrite
        if let storageMode {
            configuration.maximumStorageSize = 1
            configuration.maximumStorageMode = storageMode
        }
        let index = try SQLiteIndex(directory: dir + "/index")
        let files = try FileSystemStorageArea(root: dir + "/storage", syncOnWrite: false)
        let storage = CountingStorage(files)
        let logger = Logger(label: "IngestTests")
        let ingest = Ingest(index: index, storage: storage, deletion: Deletion(index: index, storage: storage, logger: logger),
                            configuration: configuration, logger: logger)
        try await body(ingest, storage, files)
    }

    /// Blocks a thread outside Swift concurrency's pool until `semaphore` is signalled.
    private static func waitFor(_ semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }

    @Test func theIndexCommitsAnInstanceOnlyOnceItsFileIsOnDisk() async throws {
        let bytes = try RESTTests.file("CT_small.dcm")
        let origin = IngestOrigin.rest(remoteIP: "127.0.0.1", username: nil)
        try await Self.withIngest(overwrite: false) { ingest, storage, files in
            let gate = DispatchSemaphore(value: 0)
            storage.gate = gate
            let store = Task { try await ingest.store(bytes, origin: origin) }
            await Self.waitFor(storage.entered)
            // The index does its part meanwhile, and must not commit it.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await ingest.index.statistics().instances == 0, "committed while its file was being written")
            gate.signal()
            let stored = try await store.value
            #expect(stored.status == .success)
            let attachments = try await ingest.index.attachments(.instance, stored.identifiers.instance)
            #expect(attachments.count == 1 && attachments.allSatisfy { files.exists($0.uuid) })
            #expect(try files.storedUUIDs() == attachments.map(\.uuid))
        }
    }

    @Test func aFileThatCannotBeWrittenLeavesNothingIndexedAndSparesTheInstancesBesideIt() async throws {
        let failing = try RESTTests.file("CT_small.dcm"), fine = try RESTTests.file("MR_small.dcm")
        #expect(failing.count != fine.count)
        let origin = IngestOrigin.rest(remoteIP: "127.0.0.1", username: nil)
        try await Self.withIngest(overwrite: false) { ingest, storage, files in
            storage.failingSizes = [failing.count]
            // Both held at the write, so that their index work runs together, then let go at once.
            let gate = DispatchSemaphore(value: 0)
            storage.gate = gate
            let first = Task { try await ingest.store(failing, origin: origin) }
            let second = Task { try await ingest.store(fine, origin: origin) }
            await Self.waitFor(storage.entered)
            await Self.waitFor(storage.entered)
            gate.signal()
            gate.signal()
            do {
                _ = try await first.value
                Issue.record("a failed write was answered as stored")
            } catch let error as StorageError {
                #expect(error.message.contains("No space left"), "the storage's own error reaches the client")
            }
            let stored = try await second.value
            #expect(stored.status == .success)
            let stats = try await ingest.index.statistics()
            #expect(stats.instances == 1 && stats.patients == 1, "the failed instance left rows behind")
            #expect(try files.storedUUIDs().count == 1)
            // Sent again once the disk has room, it is stored.
            storage.failingSizes = []
            storage.gate = nil
            #expect(try await ingest.store(failing, origin: origin).status == .success)
        }
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

    @Test func aCopyOfAStoredInstanceIsNeitherRefusedNorMakesRoomWhenStorageIsLimited() async throws {
        // A 1 MB limit that holds the file once but not twice: the copy takes no room and is answered AlreadyStored.
        let path = RESTTests.testFiles + "/../pydicom-data/US1_UNCR.dcm"
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("missing corpus file \(path): run `make testdata` first")
            return
        }
        let bytes = [UInt8](data)
        #expect(bytes.count > 512 * 1024 && bytes.count < 1024 * 1024)
        let origin = IngestOrigin.rest(remoteIP: nil, username: nil)
        for mode in ["Reject", "Recycle"] {
            try await Self.withIngest(overwrite: false, storageMode: mode) { ingest, storage, files in
                let first = try await ingest.store(bytes, origin: origin)
                let again = try await ingest.store(bytes, origin: origin)
                #expect(first.status == .success && again.status == .alreadyStored, "\(mode)")
                #expect(storage.writes == 1, "\(mode)")
                #expect(try files.storedUUIDs().count == 1, "\(mode)")
            }
        }
    }
}
