internal import GRDB

/// The one error type of the index, with a message a user can act on. Statement arguments (patient names, IDs)
/// never appear in messages.
public struct IndexError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The database file cannot be opened, created or migrated.
        case cannotOpen
        /// A resource named in the call does not exist.
        case unknownResource
        /// A find constraint the index cannot answer (not a main tag of the level or its ancestors).
        case unsupportedConstraint
        /// The database file is full, locked, read-only or corrupt, or SQLite failed otherwise.
        case database
        /// Data read back from the database is not what the index wrote (a damaged file).
        case corrupt
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Wraps whatever a database access threw.
    static func wrap(_ error: any Error, _ operation: String) -> IndexError {
        if let e = error as? IndexError { return e }
        if let db = error as? DatabaseError {
            let hint: String
            switch db.resultCode {
            case .SQLITE_FULL: hint = "the disk holding IndexDirectory is full"
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
                hint = "the index file or IndexDirectory is not writable by the Pharos user"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: hint = "the index file is damaged; restore it from a backup"
            case .SQLITE_BUSY, .SQLITE_LOCKED: hint = "another process holds the index file"
            default: hint = "SQLite error \(db.resultCode.rawValue)"
            }
            return IndexError(.database, "Index failure while trying to \(operation): \(hint) (\(db.message ?? "no detail"))")
        }
        return IndexError(.database, "Index failure while trying to \(operation): \(error)")
    }
}
