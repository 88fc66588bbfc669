import Foundation

/// Thin POSIX helpers that turn errno into `StorageError`; nothing here trusts a file for a length.
enum PosixFile {
    static let chunkSize = 1 << 20

    /// `mkdir -p`, tolerating folders created concurrently.
    static func makeDirectories(_ path: String) throws(StorageError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw StorageError.posix(errno, "create a folder", path: path) }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { throw StorageError.posix(ENOENT, "create a folder", path: path) }
        try makeDirectories(parent)
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw StorageError.posix(errno, "create a folder", path: path) }
    }

    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(StorageError) {
        let result: Int32? = bytes.withContiguousStorageIfAvailable { buf -> Int32 in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
        if let result {
            if result != 0 { throw StorageError.posix(result, "write a file of the storage area", path: path) }
        } else {
            try writeAll(fd, Array(bytes), path: path)
        }
    }

    static func openForReading(_ path: String) throws(StorageError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.posix(errno, "open a file of the storage area", path: path) }
        return fd
    }

    /// Calls `body` with successive chunks of the file until its end.
    static func forEachChunk(_ path: String,
                             _ body: ([UInt8]) throws(StorageError) -> Void) throws(StorageError) {
        let fd = try openForReading(path)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.posix(errno, "read a file", path: path)
            }
            if n == 0 { return }
            try body(n == buffer.count ? buffer : Array(buffer[0 ..< n]))
        }
    }

    static func readAll(_ path: String) throws(StorageError) -> [UInt8] {
        var out: [UInt8] = []
        var st = stat()
        if stat(path, &st) == 0, st.st_size > 0 { out.reserveCapacity(Int(clamping: st.st_size)) }
        try forEachChunk(path) { out.append(contentsOf: $0) }
        return out
    }

    /// Bytes `range` of a file, clamped to its end.
    static func read(_ path: String, range: Range<Int64>) throws(StorageError) -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StorageError.posix(errno, "read the size of a file", path: path) }
        let upper = min(range.upperBound, Int64(st.st_size))
        guard upper > range.lowerBound else { return [] }
        var out = [UInt8](repeating: 0, count: Int(upper - range.lowerBound))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { buf in
                pread(fd, buf.baseAddress! + done, buf.count - done, off_t(range.lowerBound) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError.posix(errno, "read a file", path: path)
            }
            if n == 0 { break }
            done += n
        }
        return done == out.count ? out : Array(out[0 ..< done])
    }

    static func sync(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.posix(errno, "open a file to flush it", path: path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw StorageError.posix(errno, "flush a file to disk", path: path) }
    }

    /// Names in a folder (without `.` and `..`).
    static func list(_ path: String) throws(StorageError) -> [String] {
        guard let dir = opendir(path) else { throw StorageError.posix(errno, "list a folder", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
