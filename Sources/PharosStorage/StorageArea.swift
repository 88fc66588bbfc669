import Foundation

/// How an attachment is stored on disk; the numbers are Orthanc's `CompressionType` values.
public enum StorageCompression: Int, Sendable, Codable, CaseIterable {
    /// The bytes as given.
    case none = 1
    /// Orthanc's `ZlibWithSize`: the uncompressed size as a little-endian UInt64, then a zlib stream (RFC 1950).
    case zlib = 2
}

/// What the storage area wrote: enough for the index to record the attachment.
public struct StoredFile: Sendable, Hashable {
    /// File name in the storage area: a lower-case UUID with dashes.
    public var uuid: String
    public var compression: StorageCompression
    /// Size on disk.
    public var compressedSize: Int64
    /// Size of the content before compression.
    public var uncompressedSize: Int64
    /// Lower-case hexadecimal MD5 of the bytes on disk and of the content.
    public var md5Compressed: String
    public var md5Uncompressed: String

    public init(uuid: String, compression: StorageCompression, compressedSize: Int64, uncompressedSize: Int64,
                md5Compressed: String, md5Uncompressed: String) {
        self.uuid = uuid
        self.compression = compression
        self.compressedSize = compressedSize
        self.uncompressedSize = uncompressedSize
        self.md5Compressed = md5Compressed
        self.md5Uncompressed = md5Uncompressed
    }
}

/// Where attachment files live. Calls block on I/O: run them off the event loops (DESIGN.md, Concurrency).
/// Files are written before their index row, so a crash leaves at worst an orphan file, never a dangling row.
public protocol StorageArea: Sendable {
    /// Stores `bytes` as a new attachment, compressed if the area is configured so.
    func write(bytes: [UInt8]) throws(StorageError) -> StoredFile
    /// Stores `bytes` as a new attachment with `compression`, whatever the area's own setting.
    func write(bytes: [UInt8], compression: StorageCompression) throws(StorageError) -> StoredFile
    /// Stores the file at `url` as a new attachment. With `move` and no compression the file is renamed into the
    /// area when it is on the same file system (it must then not be used by the caller afterwards).
    func write(fileAt url: URL, move: Bool) throws(StorageError) -> StoredFile
    /// The content of an attachment (decompressed).
    func read(_ uuid: String, compression: StorageCompression) throws(StorageError) -> [UInt8]
    /// `range` of the content of an attachment (decompressed), clamped to its end.
    func read(_ uuid: String, compression: StorageCompression, range: Range<Int64>) throws(StorageError) -> [UInt8]
    /// The bytes on disk as they are (compressed or not).
    func readStored(_ uuid: String) throws(StorageError) -> [UInt8]
    /// Removes an attachment; removing one that is already gone is not an error.
    func remove(_ uuid: String) throws(StorageError)
    /// True when the attachment's file exists.
    func exists(_ uuid: String) -> Bool
    /// Every attachment UUID present on disk, for orphan sweeps (compare against the index).
    func storedUUIDs() throws(StorageError) -> [String]
    /// Deletes temporary files left by interrupted writes that are older than `age` seconds; answers how many.
    func removeTemporaryFiles(olderThan age: TimeInterval) throws(StorageError) -> Int
}
