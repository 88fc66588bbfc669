import DICOM
import Foundation
internal import GRDB

/// The embedded index: one SQLite file `index.sqlite` in WAL mode, opened through a GRDB `DatabasePool`
/// (one writer, concurrent readers). Stores are grouped into shared write transactions (`StoreBatcher`).
public final class SQLiteIndex: Index {
    /// The database file name inside the index directory.
    public static let fileName = "index.sqlite"
    /// The schema version this build writes.
    public static var schemaVersion: Int { SQLiteSchema.version }

    let pool: DatabasePool
    private let batcher: StoreBatcher
    /// Path of the database file.
    public let path: String

    /// Opens (creating and migrating when needed) `index.sqlite` in `directory`.
    /// By default commits are synced at WAL checkpoints (`synchronous=NORMAL`, as Orthanc runs its SQLite index): a
    /// crash of the process loses nothing, a power loss may lose the last commits (their files stay, as orphans).
    /// With `durable`, each commit is synced to disk (`synchronous=FULL`), at one more fsync per group commit.
    public init(directory: String, durable: Bool = false) throws(IndexError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw IndexError(.cannotOpen, "Cannot create IndexDirectory: check the path and its permissions (\(error.localizedDescription))")
        }
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.label = "PharosIndex"
        // Savepoints (one per instance of a group commit) keep their statement journals in memory, not in a
        // temporary file created per transaction. Reads map the file instead of copying each page in with pread,
        // and each connection keeps more pages.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets synchronous=NORMAL when it turns WAL on, after prepareDatabase: FULL goes on the writer here.
            if durable {
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            }
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw IndexError(.cannotOpen, "Cannot open the index \(path): \(IndexError.wrap(error, "open it").message)")
        }
        batcher = StoreBatcher(pool: pool)
    }

    // MARK: helpers

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw IndexError.wrap(error, operation) }
    }

    /// `read` on the calling thread, for by-key reads of a few rows: handing such a read to a reader queue and
    /// back (two thread wake-ups) cost more than the read itself, and made single-resource requests slower than
    /// Orthanc's. Never for reads that may walk many rows: the calling thread is an event loop.
    func readNow<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw IndexError.wrap(error, operation) }
    }

    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw IndexError.wrap(error, operation) }
    }

    static func internalID(_ db: Database, _ level: ResourceLevel, _ publicID: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM resources WHERE publicId = ? AND level = ?"),
                           arguments: [publicID, level.rawValue])
    }

    static func logChange(_ db: Database, _ type: ChangeType, _ level: ResourceLevel, _ publicID: String,
                          date: String) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO changes(type, level, publicId, date) VALUES (?, ?, ?, ?)")
            .execute(arguments: [type.rawValue, level.rawValue, publicID, date])
        return db.lastInsertedRowID
    }

    // MARK: Index — store

    public func store(_ instance: NewInstance, overwrite: Bool) async throws -> StoreOutcome {
        try await batcher.submit(instance, overwrite: overwrite, pending: nil)
    }

    public func store(_ instance: NewInstance, overwrite: Bool,
                      pending: any PendingAttachments) async throws -> StoreOutcome {
        try await batcher.submit(instance, overwrite: overwrite, pending: pending)
    }

    // MARK: Index — metadata, protection, globals

    public func metadata(_ level: ResourceLevel, _ publicID: String) async throws -> [MetadataKind: String] {
        try readNow("read metadata") { db in
            let sql = "SELECT id, lastUpdate FROM resources WHERE publicId = ? AND level = ?"
            guard let row = try Row.fetchOne(db.cachedStatement(sql: sql),
                                             arguments: [publicID, level.rawValue]) else { return [:] }
            let id: Int64 = row["id"]
            var out: [MetadataKind: String] = [:]
            let metadata = try db.cachedStatement(sql: "SELECT kind, value FROM metadata WHERE resourceId = ?")
            for r in try Row.fetchAll(metadata, arguments: [id]) {
                out[MetadataKind(rawValue: r["kind"])] = r["value"]
            }
            if level != .instance, let t: Double = row["lastUpdate"] { out[.lastUpdate] = Timestamp.format(t) }
            return out
        }
    }

    public func setMetadata(_ level: ResourceLevel, _ publicID: String, _ kind: MetadataKind,
                            _ value: String?) async throws -> Bool {
        try await write("write metadata") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return false }
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO metadata(resourceId, kind, value) VALUES (?, ?, ?)",
                               arguments: [id, kind.rawValue, value])
            } else {
                try db.execute(sql: "DELETE FROM metadata WHERE resourceId = ? AND kind = ?", arguments: [id, kind.rawValue])
            }
            return true
        }
    }

    public func replaceAttachment(_ level: ResourceLevel, _ publicID: String, expectedUUID: String,
                                  with a: Attachment) async throws -> Bool {
        try await write("replace an attachment") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return false }
            // Delete then insert, not update: the triggers that keep the storage totals count rows in and out.
            try db.execute(sql: "DELETE FROM attachments WHERE resourceId = ? AND kind = ? AND uuid = ?",
                           arguments: [id, a.kind.rawValue, expectedUUID])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: """
                INSERT INTO attachments(resourceId, kind, uuid, compressedSize, uncompressedSize, compression,
                                        md5Compressed, md5Uncompressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, a.kind.rawValue, a.uuid, a.compressedSize, a.uncompressedSize, a.compression,
                                 a.md5Compressed, a.md5Uncompressed])
            return true
        }
    }

    public func labels(_ level: ResourceLevel, _ publicID: String) async throws -> [String]? {
        try readNow("read labels") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return nil }
            return try String.fetchAll(db.cachedStatement(sql: "SELECT label FROM labels WHERE resourceId = ? ORDER BY label"),
                                       arguments: [id])
        }
    }

    public func setLabel(_ level: ResourceLevel, _ publicID: String, _ label: String, present: Bool) async throws -> Bool {
        try await write("change a label") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return false }
            let sql = present ? "INSERT OR IGNORE INTO labels(resourceId, label) VALUES (?, ?)"
                : "DELETE FROM labels WHERE resourceId = ? AND label = ?"
            try db.execute(sql: sql, arguments: [id, label])
            return true
        }
    }

    public func allLabels() async throws -> [String] {
        try await read("list labels") { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT label FROM labels ORDER BY label"))
        }
    }

    public func setProtected(_ publicID: String, _ isProtected: Bool) async throws -> Bool {
        try await write("change the protection of a patient") { db in
            try db.execute(sql: "UPDATE resources SET isProtected = ? WHERE publicId = ? AND level = 0",
                           arguments: [isProtected, publicID])
            return db.changesCount > 0
        }
    }

    public func globalProperty(_ key: String) async throws -> String? {
        try readNow("read a global property") { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM globals WHERE key = ?"), arguments: [key])
        }
    }

    public func setGlobalProperty(_ key: String, _ value: String) async throws {
        try await write("write a global property") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO globals(key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    // MARK: Index — attachments and headers

    public func attachments(_ level: ResourceLevel, _ publicID: String) async throws -> [Attachment] {
        try readNow("read attachments") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return [] }
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM attachments WHERE resourceId = ? ORDER BY kind"),
                                    arguments: [id]).map(Self.attachment)
        }
    }

    public func header(ofInstance publicID: String) async throws -> [UInt8]? {
        try readNow("read an instance header") { db in
            let data = try Data.fetchOne(db.cachedStatement(sql: """
                SELECT h.header FROM headers h JOIN resources r ON r.id = h.resourceId
                WHERE r.publicId = ? AND r.level = 3
                """), arguments: [publicID])
            return data.map { [UInt8]($0) }
        }
    }

    static func attachment(_ row: Row) -> Attachment {
        Attachment(kind: AttachmentKind(rawValue: row["kind"]), uuid: row["uuid"],
                   compressedSize: row["compressedSize"], uncompressedSize: row["uncompressedSize"],
                   compression: row["compression"], md5Compressed: row["md5Compressed"],
                   md5Uncompressed: row["md5Uncompressed"])
    }

    // MARK: Index — recycling and stability

    public func oldestRecyclablePatient(excluding publicID: String?) async throws -> String? {
        // The partial index is in recycling order and stops at the first patient that may go; without the hint,
        // SQLite sorted every patient.
        try await read("choose a patient to recycle") { db in
            try String.fetchOne(db.cachedStatement(sql: """
                SELECT publicId FROM resources INDEXED BY resources_recycling
                WHERE level = 0 AND isProtected = 0 AND publicId IS NOT ?
                ORDER BY recycleOrder, id LIMIT 1
                """), arguments: [publicID])
        }
    }

    public func markStable(olderThan age: Double) async throws -> [(level: ResourceLevel, publicID: String)] {
        let now = Timestamp.now()
        // `+level`: ordering on the level index made SQLite read every patient, study and series (8 ms a second on
        // 20,000 instances, holding the writer); the partial index of unstable resources reads only those.
        let list = try await write("mark resources as stable") { db -> [StableItem] in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, level, publicId FROM resources
                WHERE isStable = 0 AND level < 3 AND lastUpdate <= ?
                ORDER BY +level DESC, id
                """), arguments: [now - age])
            let date = Timestamp.format(now)
            var out: [StableItem] = []
            for row in rows {
                let level = ResourceLevel(rawValue: row["level"]) ?? .series
                let publicID: String = row["publicId"]
                try db.execute(sql: "UPDATE resources SET isStable = 1 WHERE id = ?", arguments: [row["id"] as Int64])
                let type: ChangeType = level == .patient ? .stablePatient : level == .study ? .stableStudy : .stableSeries
                _ = try Self.logChange(db, type, level, publicID, date: date)
                out.append(StableItem(level: level, publicID: publicID))
            }
            return out
        }
        return list.map { ($0.level, $0.publicID) }
    }

    struct StableItem: Sendable {
        var level: ResourceLevel
        var publicID: String
    }
}
