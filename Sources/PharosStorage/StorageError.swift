import Foundation

/// The one error type of the storage area, with a message that says what to do.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No space left on the device (or quota exceeded).
        case diskFull
        /// The process may not read or write the storage folder.
        case permissionDenied
        /// The attachment's file is not there.
        case missingFile
        /// The file is there but its content cannot be decoded (bad zlib stream or size prefix).
        case corruptFile
        /// A UUID that is not a storage-area name was given.
        case invalidName
        /// Any other I/O failure (errno in the message).
        case io
    }

    public var code: Code
    public var message: String
    /// The file or folder concerned, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\(message) (\($0))" } ?? message }

    /// Maps an errno from `operation` on `path` to an actionable error.
    static func posix(_ err: Int32, _ operation: String, path: String) -> StorageError {
        let reason = String(cString: strerror(err))
        switch err {
        case ENOSPC, EDQUOT:
            return StorageError(.diskFull, "The storage area is full while trying to \(operation): free disk space "
                                + "or lower MaximumStorageSize (\(reason))", path: path)
        case EACCES, EPERM, EROFS:
            return StorageError(.permissionDenied, "Permission denied while trying to \(operation): give the Pharos "
                                + "user read/write access to StorageDirectory (\(reason))", path: path)
        case ENOENT:
            return StorageError(.missingFile, "The file is missing while trying to \(operation): the storage area "
                                + "and the index disagree; remove the resource or restore the file (\(reason))",
                                path: path)
        default:
            return StorageError(.io, "I/O error while trying to \(operation): \(reason) (errno \(err))", path: path)
        }
    }
}
