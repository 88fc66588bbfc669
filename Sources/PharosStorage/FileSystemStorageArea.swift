import Foundation

/// The storage area on a local file system: one file per attachment, named by a UUID, under `root/ab/cd/abcd…`
/// (the first two pairs of hex digits), as Orthanc lays out its storage folder. New names share their first four
/// digits in runs (`FolderCursor`), so most writes land in a folder that exists already.
/// A write goes to `<uuid>.tmp` in the final folder, is flushed to disk (`GroupSync`), then renamed: no
/// half-written file is ever visible under an attachment name.
public struct FileSystemStorageArea: StorageArea {
    /// The storage folder.
    public let root: String
    /// Compression applied to new attachments (Orthanc's `StorageCompression`).
    public let compression: StorageCompression
    /// fsync each file before renaming it (Orthanc's `SyncStorageArea`, true by default).
    public let syncOnWrite: Bool

    static let temporarySuffix = ".tmp"

    private let cursor = FolderCursor()
    let groupSync: GroupSync

    /// Opens (and creates when missing) the storage folder.
    public init(root: String, compression: StorageCompression = .none, syncOnWrite: Bool = true) throws(StorageError) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.compression = compression
        self.syncOnWrite = syncOnWrite
        try PosixFile.makeDirectories(self.root)
        groupSync = GroupSync(root: self.root)
    }

    /// The path of an attachment; refuses anything that is not a UUID so a name can never escape the folder.
    public func path(of uuid: String) throws(StorageError) -> String {
        guard Self.isValidUUID(uuid) else {
            throw StorageError(.invalidName, "'\(uuid.prefix(64))' is not a storage-area file name (a UUID)")
        }
        let u = Array(uuid.utf8)
        let a = String(decoding: u[0 ..< 2], as: UTF8.self), b = String(decoding: u[2 ..< 4], as: UTF8.self)
        return "\(root)/\(a)/\(b)/\(uuid)"
    }

    /// True for a lower-case 8-4-4-4-12 UUID.
    public static func isValidUUID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !(c >= 0x30 && c <= 0x39 || c >= 0x61 && c <= 0x66) {
                return false
            }
        }
        return true
    }

    // MARK: writing

    public func write(bytes: [UInt8]) throws(StorageError) -> StoredFile {
        try write(bytes: bytes, compression: compression)
    }

    public func write(bytes: [UInt8], compression: StorageCompression) throws(StorageError) -> StoredFile {
        let uuid = cursor.nextUUID()
        let stored: [UInt8]
        switch compression {
        case .none: stored = bytes
        case .zlib: stored = try ZlibWithSize.compress(bytes)
        }
        // Large attachments are hashed on another thread while this one writes and syncs them.
        let background = compression == .none && bytes.count >= ConcurrentDigest.threshold ? ConcurrentDigest(bytes) : nil
        let md5Uncompressed: String
        let md5Compressed: String
        do throws(StorageError) {
            try place(uuid: uuid) { (fd: Int32, tmp: String) throws(StorageError) in
                try PosixFile.writeAll(fd, stored, path: tmp)
            }
        } catch {
            _ = background?.wait()
            throw error
        }
        if let background {
            md5Uncompressed = background.wait()
            md5Compressed = md5Uncompressed
        } else {
            md5Uncompressed = MD5.hexDigest(bytes)
            md5Compressed = compression == .none ? md5Uncompressed : MD5.hexDigest(stored)
        }
        return StoredFile(uuid: uuid, compression: compression, compressedSize: Int64(stored.count),
                          uncompressedSize: Int64(bytes.count), md5Compressed: md5Compressed,
                          md5Uncompressed: md5Uncompressed)
    }

    public func write(fileAt url: URL, move: Bool) throws(StorageError) -> StoredFile {
        let source = url.path
        if compression == .zlib {
            // zlib needs the whole content; attachments are DICOM files of reasonable size.
            let content = try PosixFile.readAll(source)
            let stored = try write(bytes: content)
            if move { unlink(source) }
            return stored
        }
        let uuid = cursor.nextUUID()
        let final = try path(of: uuid)
        var md5 = MD5()
        var size: Int64 = 0
        try PosixFile.forEachChunk(source) { chunk in md5.update(chunk); size += Int64(chunk.count) }
        let digest = md5.finalizeHex()
        if move {
            if syncOnWrite { try PosixFile.sync(source) }
            var moved = rename(source, final) == 0
            if !moved && errno == ENOENT && access(source, F_OK) == 0 {
                try PosixFile.makeDirectories(String(final.dropLast(uuid.count + 1)))
                moved = rename(source, final) == 0
            }
            if moved {
                return StoredFile(uuid: uuid, compression: .none, compressedSize: size, uncompressedSize: size,
                                  md5Compressed: digest, md5Uncompressed: digest)
            }
            guard errno == EXDEV else { throw StorageError.posix(errno, "move a file into the storage area", path: source) }
            // Another file system: fall through to a copy, then remove the source.
        }
        try place(uuid: uuid) { (fd: Int32, tmp: String) throws(StorageError) in
            try PosixFile.forEachChunk(source) { chunk throws(StorageError) in
                try PosixFile.writeAll(fd, chunk, path: tmp)
            }
        }
        if move { unlink(source) }
        return StoredFile(uuid: uuid, compression: .none, compressedSize: size, uncompressedSize: size,
                          md5Compressed: digest, md5Uncompressed: digest)
    }

    /// Creates `<uuid>.tmp` beside the final name, lets `fill` write it, syncs, closes and renames it.
    private func place(uuid: String,
                       _ fill: (Int32, String) throws(StorageError) -> Void) throws(StorageError) {
        let final = try path(of: uuid)
        let tmp = final + Self.temporarySuffix
        let dir = String(final.dropLast(uuid.count + 1))
        // The folder usually exists (FolderCursor); create it when it does not, and once more if a concurrent
        // removal pruned it between mkdir and open.
        var fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        for _ in 0 ..< 2 where fd < 0 && errno == ENOENT {
            try PosixFile.makeDirectories(dir)
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw StorageError.posix(errno, "create a file in the storage area", path: tmp) }
        do throws(StorageError) {
            try fill(fd, tmp)
            if syncOnWrite, let error = groupSync.sync(fd) {
                throw StorageError.posix(error, "flush a file of the storage area to disk", path: tmp)
            }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        guard rename(tmp, final) == 0 else {
            let err = errno
            unlink(tmp)
            throw StorageError.posix(err, "rename a new file of the storage area", path: final)
        }
    }

    // MARK: reading

    public func read(_ uuid: String, compression: StorageCompression) throws(StorageError) -> [UInt8] {
        let p = try path(of: uuid)
        let stored = try PosixFile.readAll(p)
        switch compression {
        case .none: return stored
        case .zlib: return try ZlibWithSize.decompress(stored, path: p)
        }
    }

    public func read(_ uuid: String, compression: StorageCompression,
                     range: Range<Int64>) throws(StorageError) -> [UInt8] {
        guard range.lowerBound >= 0 else { throw StorageError(.io, "A negative byte range was asked for") }
        switch compression {
        case .none:
            return try PosixFile.read(try path(of: uuid), range: range)
        case .zlib:
            let all = try read(uuid, compression: .zlib)
            let lower = Int(clamping: min(range.lowerBound, Int64(all.count)))
            let upper = Int(clamping: min(range.upperBound, Int64(all.count)))
            return Array(all[lower ..< upper])
        }
    }

    public func readStored(_ uuid: String) throws(StorageError) -> [UInt8] {
        try PosixFile.readAll(try path(of: uuid))
    }

    public func exists(_ uuid: String) -> Bool {
        guard let p = try? path(of: uuid) else { return false }
        return access(p, F_OK) == 0
    }

    // MARK: removing and sweeping

    public func remove(_ uuid: String) throws(StorageError) {
        let p = try path(of: uuid)
        if unlink(p) != 0 && errno != ENOENT {
            throw StorageError.posix(errno, "remove a file of the storage area", path: p)
        }
        // Prune the two folder levels when they become empty, as Orthanc does; a non-empty folder stays.
        let inner = String(p.dropLast(uuid.count + 1))
        if rmdir(inner) == 0 { _ = rmdir(String(inner.dropLast(3))) }
    }

    public func storedUUIDs() throws(StorageError) -> [String] {
        var out: [String] = []
        try forEachFile { name, _ in if Self.isValidUUID(name) { out.append(name) } }
        return out
    }

    public func removeTemporaryFiles(olderThan age: TimeInterval) throws(StorageError) -> Int {
        var removed = 0
        let cutoff = Date().timeIntervalSince1970 - age
        try forEachFile { name, full in
            guard name.hasSuffix(Self.temporarySuffix) else { return }
            var st = stat()
            if stat(full, &st) == 0 && Double(st.st_mtim.tv_sec) <= cutoff && unlink(full) == 0 { removed += 1 }
        }
        return removed
    }

    /// Visits every file of the two-level layout (names of two hex digits), skipping anything else.
    private func forEachFile(_ body: (String, String) throws(StorageError) -> Void) throws(StorageError) {
        func isPair(_ s: String) -> Bool { s.utf8.count == 2 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) } }
        for a in try PosixFile.list(root) where isPair(a) {
            for b in (try? PosixFile.list("\(root)/\(a)")) ?? [] where isPair(b) {
                let dir = "\(root)/\(a)/\(b)"
                for name in (try? PosixFile.list(dir)) ?? [] { try body(name, "\(dir)/\(name)") }
            }
        }
    }
}
