import DICOM
internal import GRDB

extension SQLiteIndex {
    /// Changes after `since` (at most `limit`), `done` when no more follow, and `last` as Orthanc reports it:
    /// the seq of the last change returned, or the highest seq in the log when none is returned.
    public func changes(since: Int64, limit: Int) async throws -> (changes: [Change], done: Bool, last: Int64) {
        let page = try await read("read the changes") { db -> ChangePage in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?"),
                                        arguments: [since, max(0, limit) + 1])
            let list = try rows.prefix(max(0, limit)).map(Self.change)
            let done = rows.count <= max(0, limit)
            let last: Int64
            if let l = list.last?.seq {
                last = l
            } else {
                last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM changes")) ?? 0
            }
            return ChangePage(changes: list, done: done, last: last)
        }
        return (page.changes, page.done, page.last)
    }

    public func lastChange() async throws -> Change? {
        try readNow("read the last change") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM changes ORDER BY seq DESC LIMIT 1")).map(Self.change)
        }
    }

    public func clearChanges() async throws {
        try await write("clear the changes") { db in try db.execute(sql: "DELETE FROM changes") }
    }

    public func clearExports() async throws {
        try await write("clear the exports") { db in try db.execute(sql: "DELETE FROM exports") }
    }

    public func logChange(_ type: ChangeType, _ level: ResourceLevel, _ publicID: String) async throws {
        let date = Timestamp.format(Timestamp.now())
        _ = try await write("log a change") { db in try Self.logChange(db, type, level, publicID, date: date) }
    }

    static func change(_ row: Row) throws -> Change {
        guard let type = ChangeType(rawValue: row["type"]), let level = ResourceLevel(rawValue: row["level"]) else {
            throw IndexError(.corrupt, "The change log holds an unknown change type or level")
        }
        return Change(seq: row["seq"], type: type, level: level, publicID: row["publicId"], date: row["date"])
    }

    struct ChangePage: Sendable {
        var changes: [Change]
        var done: Bool
        var last: Int64
    }
}
