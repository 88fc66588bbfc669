import Foundation
import Synchronization
import Testing
@testable import PharosStorage

/// A fresh folder under the system temporary directory, removed by the caller.
func makeTemporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "pharos-storage-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct StorageTests {
    @Test func md5MatchesRFC1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
             "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, expected) in vectors {
            #expect(MD5.hexDigest(Array(input.utf8)) == expected, "MD5(\"\(input)\")")
        }
    }

    @Test func md5IncrementalEqualsOneShot() {
        let data = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var md5 = MD5()
        var i = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] {
            guard i < data.count else { break }
            md5.update(Array(data[i ..< min(i + size, data.count)]))
            i += size
        }
        md5.update(Array(data[i...]))
        #expect(md5.finalizeHex() == MD5.hexDigest(data))
    }

    @Test func writeReadRemoveUncompressed() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        let content = Array("DICM test content".utf8)
        let stored = try area.write(bytes: content)
        #expect(FileSystemStorageArea.isValidUUID(stored.uuid))
        #expect(stored.compression == .none)
        #expect(stored.compressedSize == Int64(content.count) && stored.uncompressedSize == Int64(content.count))
        #expect(stored.md5Uncompressed == MD5.hexDigest(content) && stored.md5Compressed == stored.md5Uncompressed)
        // Two-level layout ab/cd/abcd…
        let u = stored.uuid
        let expectedPath = "\(root)/\(u.prefix(2))/\(u.dropFirst(2).prefix(2))/\(u)"
        #expect(try area.path(of: u) == expectedPath)
        #expect(FileManager.default.fileExists(atPath: expectedPath))
        #expect(try area.read(u, compression: .none) == content)
        #expect(try area.read(u, compression: .none, range: 5 ..< 9) == Array(content[5 ..< 9]))
        #expect(try area.read(u, compression: .none, range: 10 ..< 1000) == Array(content[10...]))
        #expect(try area.storedUUIDs() == [u])
        // No temporary file left behind.
        let folder = (expectedPath as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [u])
        try area.remove(u)
        #expect(!area.exists(u))
        #expect(!FileManager.default.fileExists(atPath: folder), "empty folders are pruned")
        try area.remove(u)  // idempotent
        #expect(throws: StorageError.self) { try area.read(u, compression: .none) }
        do {
            _ = try area.read(u, compression: .none)
        } catch {
            #expect(error.code == .missingFile)
        }
    }

    @Test func zlibUsesOrthancPrefixFormat() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root, compression: .zlib)
        let content = [UInt8](repeating: 0x41, count: 100_000) + Array("tail".utf8)
        let stored = try area.write(bytes: content)
        #expect(stored.compression == .zlib)
        #expect(stored.uncompressedSize == Int64(content.count))
        #expect(stored.compressedSize < 2000)
        let raw = try area.readStored(stored.uuid)
        #expect(Int64(raw.count) == stored.compressedSize)
        #expect(stored.md5Compressed == MD5.hexDigest(raw))
        #expect(stored.md5Uncompressed == MD5.hexDigest(content))
        // 8-byte little-endian size, then a zlib header (CMF 0x78).
        var size: UInt64 = 0
        for i in 0 ..< 8 { size |= UInt64(raw[i]) << (8 * UInt64(i)) }
        #expect(size == UInt64(content.count))
        #expect(raw[8] == 0x78)
        #expect(try area.read(stored.uuid, compression: .zlib) == content)
        #expect(try area.read(stored.uuid, compression: .zlib, range: 99_999 ..< 100_004) == Array("Atail".utf8))
        // Empty content is stored as an empty file, as Orthanc does.
        let empty = try area.write(bytes: [])
        #expect(empty.compressedSize == 0)
        #expect(try area.read(empty.uuid, compression: .zlib) == [])
    }

    @Test func zlibMatchesPythonZlib() throws {
        // Cross-check with an independent zlib reader: Python's zlib.decompress(data[8:]).
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root, compression: .zlib)
        let content = Array("Hello Orthanc-compatible storage ".utf8) + (0 ..< 5000).map { UInt8($0 % 251) }
        let stored = try area.write(bytes: content)
        let path = try area.path(of: stored.uuid)
        let script = "import sys,zlib,struct;d=open(sys.argv[1],'rb').read();n=struct.unpack('<Q',d[:8])[0];"
            + "u=zlib.decompress(d[8:]);print(n==len(u), __import__('hashlib').md5(u).hexdigest())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "True \(stored.md5Uncompressed)")
    }

    @Test func corruptCompressedFileIsReported() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root, compression: .zlib)
        let stored = try area.write(bytes: Array(repeating: 7, count: 4096))
        let path = try area.path(of: stored.uuid)
        var raw = try area.readStored(stored.uuid)
        raw[0] = 0xFF; raw[5] = 0x7F  // absurd declared size
        try Data(raw).write(to: URL(fileURLWithPath: path))
        do {
            _ = try area.read(stored.uuid, compression: .zlib)
            Issue.record("a corrupt file was read")
        } catch {
            #expect(error.code == .corruptFile)
        }
    }

    @Test func writeFromFileMovesOrCopies() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        let content = (0 ..< 3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let source = root + "/incoming.bin"
        try Data(content).write(to: URL(fileURLWithPath: source))
        let copied = try area.write(fileAt: URL(fileURLWithPath: source), move: false)
        #expect(FileManager.default.fileExists(atPath: source))
        #expect(copied.md5Uncompressed == MD5.hexDigest(content))
        #expect(try area.read(copied.uuid, compression: .none) == content)
        let moved = try area.write(fileAt: URL(fileURLWithPath: source), move: true)
        #expect(!FileManager.default.fileExists(atPath: source))
        #expect(moved.uncompressedSize == Int64(content.count))
        #expect(try area.read(moved.uuid, compression: .none) == content)
        // Compressed from a file.
        let zarea = try FileSystemStorageArea(root: root + "/z", compression: .zlib)
        try Data(content).write(to: URL(fileURLWithPath: source))
        let z = try zarea.write(fileAt: URL(fileURLWithPath: source), move: true)
        #expect(z.compression == .zlib && z.md5Uncompressed == copied.md5Uncompressed)
        #expect(try zarea.read(z.uuid, compression: .zlib) == content)
        #expect(Set(try area.storedUUIDs()) == [copied.uuid, moved.uuid])
    }

    @Test func newNamesShareFoldersAndSurvivePruning() throws {
        let cursor = FolderCursor()
        let names = (0 ..< FolderCursor.filesPerFolder + 1).map { _ in cursor.nextUUID() }
        #expect(names.allSatisfy(FileSystemStorageArea.isValidUUID))
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { Array($0.utf8)[14] == UInt8(ascii: "4") }, "version 4 layout")
        #expect(names.allSatisfy { "89ab".utf8.contains(Array($0.utf8)[19]) }, "RFC 4122 variant")
        #expect(Set(names.dropLast().map { $0.prefix(4) }).count == 1, "a run of names shares one folder")

        // Removing the only file of the current folder prunes it; the next write creates it again.
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        let first = try area.write(bytes: [1, 2, 3])
        try area.remove(first.uuid)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        let second = try area.write(bytes: [4, 5])
        #expect(second.uuid.prefix(4) == first.uuid.prefix(4))
        #expect(try area.read(second.uuid, compression: .none) == [4, 5])
        let source = root + "/incoming.bin"
        try Data([6, 7, 8]).write(to: URL(fileURLWithPath: source))
        try area.remove(second.uuid)
        let moved = try area.write(fileAt: URL(fileURLWithPath: source), move: true)
        #expect(try area.read(moved.uuid, compression: .none) == [6, 7, 8])
    }

    @Test func refusesNamesThatAreNotUUIDs() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        for bad in ["../../etc/passwd", "", "ABCDEF00-0000-0000-0000-000000000000", "zz/zz/zz"] {
            do {
                _ = try area.read(bad, compression: .none)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .invalidName)
            }
        }
    }

    @Test func temporaryFilesAreSwept() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        let stored = try area.write(bytes: [1, 2, 3])
        let tmp = try area.path(of: stored.uuid).replacingOccurrences(of: stored.uuid, with: UUID().uuidString.lowercased()) + ".tmp"
        try Data([9]).write(to: URL(fileURLWithPath: tmp))
        #expect(try area.storedUUIDs() == [stored.uuid])
        #expect(try area.removeTemporaryFiles(olderThan: 3600) == 0)
        #expect(try area.removeTemporaryFiles(olderThan: -10) == 1)
        #expect(!FileManager.default.fileExists(atPath: tmp))
        #expect(area.exists(stored.uuid))
    }

    @Test func permissionErrorIsActionable() throws {
        guard getuid() != 0 else { return }  // root may write anywhere
        let root = makeTemporaryFolder()
        defer { chmod(root, 0o755); try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root)
        chmod(root, 0o500)
        do {
            _ = try area.write(bytes: [1])
            Issue.record("wrote into a read-only folder")
        } catch {
            #expect(error.code == .permissionDenied)
            #expect(error.message.contains("StorageDirectory"))
        }
    }

    @Test func concurrentWritesAndRemovalsStayConsistent() async throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root, compression: .zlib, syncOnWrite: false)
        let kept = try await withThrowingTaskGroup(of: [String].self) { group in
            for t in 0 ..< 8 {
                group.addTask {
                    var keep: [String] = []
                    for i in 0 ..< 50 {
                        let s = try area.write(bytes: Array("task \(t) file \(i)".utf8))
                        if i % 2 == 0 { try area.remove(s.uuid) } else { keep.append(s.uuid) }
                    }
                    return keep
                }
            }
            var all: [String] = []
            for try await k in group { all += k }
            return all
        }
        #expect(kept.count == 200)
        #expect(Set(try area.storedUUIDs()) == Set(kept))
    }

    @Test func concurrentSyncedWritesShareFlushes() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let area = try FileSystemStorageArea(root: root, syncOnWrite: true)
        let writers = 8, perWriter = 10
        let results = Mutex<[String: [UInt8]]>([:])
        let failures = Mutex<[String]>([])
        // Real threads (not the cooperative pool): writers block in the flush, as they do on NIO's blocking pool.
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            for i in 0 ..< perWriter {
                let content = Array(repeating: UInt8(truncatingIfNeeded: w * 31 + i), count: 4096)
                do {
                    let stored = try area.write(bytes: content)
                    results.withLock { $0[stored.uuid] = content }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let written = results.withLock { $0 }
        #expect(written.count == writers * perWriter)
        for (uuid, content) in written { #expect(try area.read(uuid, compression: .none) == content) }
        let flushes = area.groupSync.fileFlushes + area.groupSync.groupFlushes
        // Every write was flushed by its own fsync or by a syncfs that covered it: never more flushes than files.
        #expect(flushes >= 1 && flushes <= writers * perWriter)
    }

    @Test func groupSyncFallsBackToFsyncOffTheStorageDevice() throws {
        let root = makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sync = GroupSync(root: root)
        // /dev/shm is a tmpfs on Linux: another device than the temporary folder's disk.
        let other = "/dev/shm/pharos-groupsync-\(UUID().uuidString)"
        let fd = open(other, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        defer { close(fd); unlink(other) }
        #expect(sync.sync(fd) == nil)
        #expect(sync.fileFlushes == 0 && sync.groupFlushes == 0, "a file elsewhere is fsync'ed on its own")
        let local = root + "/f"
        let fd2 = open(local, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        try #require(fd2 >= 0)
        defer { close(fd2) }
        #expect(sync.sync(fd2) == nil)
        #expect(sync.fileFlushes == 1, "a writer alone flushes its own file")
    }
}
