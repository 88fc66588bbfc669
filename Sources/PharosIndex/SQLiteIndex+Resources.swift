import DICOM
import Foundation
internal import GRDB

extension SQLiteIndex {
    public func resource(_ level: ResourceLevel, _ publicID: String) async throws -> ResourceRecord? {
        try await resources(level, [publicID]).first
    }

    public func resources(_ level: ResourceLevel, _ publicIDs: [String]) async throws -> [ResourceRecord] {
        if publicIDs.isEmpty { return [] }
        let body = { @Sendable (db: Database) throws -> [ResourceRecord] in
            // Back into the order asked.
            let records = try Self.records(db, level, publicIDs)
            var position: [String: Int] = [:]
            position.reserveCapacity(records.count)
            for (i, record) in records.enumerated() { position[record.publicID] = i }
            return publicIDs.compactMap { position[$0].map { records[$0] } }
        }
        // A few resources (a GET of one, a parent) are read at once; listings go to a reader queue.
        if publicIDs.count <= Self.readNowLimit { return try readNow("read resources", body) }
        return try await read("read resources", body)
    }

    /// Up to this many resources are read on the calling thread.
    static let readNowLimit = 8

    /// Full records of some resources of one level, with a constant number of cached statements.
    /// `+r.level` keeps SQLite on the unique publicId index: without statistics it would rather walk every resource
    /// of the level through resources_level (20,000 rows for one instance on a 20,000-instance index).
    static func records(_ db: Database, _ level: ResourceLevel, _ publicIDs: [String]) throws -> [ResourceRecord] {
        // Rows are decoded as the cursor steps: copying them first (fetchAll) cost as much as decoding them.
        // Columns are read by position: GRDB's lookup by name lowercases the name on every access.
        var records: [ResourceRecord] = []
        var ids: [Int64] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT r.id, r.publicId, p.publicId AS parentPublicId, r.mainTags, r.patientTags, r.isProtected,
                   r.lastUpdate, r.isStable, r.expectedInstances
            FROM resources r LEFT JOIN resources p ON p.id = r.parentId
            WHERE +r.level = ? AND r.publicId \(SQLValueList.membership)
            """), arguments: [level.rawValue, SQLValueList.argument(publicIDs)])
        while let row = try cursor.next() {
            let patientBlob: Data? = row[4]
            let lastUpdate: Double? = row[6]
            ids.append(row[0])
            records.append(ResourceRecord(
                level: level, publicID: row[1], parentID: row[2], childrenIDs: [], mainTags: try MainTagsCodec.decode(row[3]),
                patientMainTags: try patientBlob.map(MainTagsCodec.decode) ?? [:],
                isStable: row[7], isProtected: row[5],
                lastUpdate: lastUpdate.map { Timestamp.format($0) } ?? "", expectedInstances: row[8]))
        }
        if records.isEmpty { return [] }
        let idList = SQLValueList.argument(ids)
        // Position of each internal id in `records`, to attach children, labels and attachments in place.
        var position: [Int64: Int] = [:]
        position.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { position[id] = i }

        if level != .instance {
            // A series whose expected number of instances is known has its Status computed from its instances'
            // IndexInSeries: those come with its children, in the same read. Other series answer "Unknown".
            var counted: [Int64] = [], plain: [Int64] = []
            for (i, id) in ids.enumerated() {
                let expectsCount = level == .series && (records[i].expectedInstances ?? 0) > 0
                if expectsCount { counted.append(id) } else { plain.append(id) }
            }
            if !plain.isEmpty {
                // By parent, then id: the parent index's own order (each parent's children by id), without a sort.
                let sql = """
                    SELECT parentId, publicId FROM resources WHERE parentId \(SQLValueList.membership)
                    ORDER BY parentId, id
                    """
                let children = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [SQLValueList.argument(plain)])
                while let r = try children.next() {
                    if let i = position[r[0]] { records[i].childrenIDs.append(r[1]) }
                }
            }
            if !counted.isEmpty {
                let sql = """
                    SELECT r.parentId, r.publicId, m.value FROM resources r
                    LEFT JOIN metadata m ON m.resourceId = r.id AND m.kind = ?
                    WHERE r.parentId \(SQLValueList.membership) ORDER BY r.parentId, r.id
                    """
                let arguments: StatementArguments = [MetadataKind.indexInSeries.rawValue, SQLValueList.argument(counted)]
                let children = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
                while let r = try children.next() {
                    guard let i = position[r[0]] else { continue }
                    records[i].childrenIDs.append(r[1])
                    let text: String? = r[2]
                    records[i].childrenIndexInSeries.append(text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
                }
            }
        }
        let labelSQL = "SELECT resourceId, label FROM labels WHERE resourceId \(SQLValueList.membership) ORDER BY label"
        for r in try Row.fetchAll(db.cachedStatement(sql: labelSQL), arguments: [idList]) {
            if let i = position[r[0]] { records[i].labels.append(r[1]) }
        }
        if level == .instance {
            let attachmentSQL = "SELECT * FROM attachments WHERE kind = 1 AND resourceId \(SQLValueList.membership)"
            for r in try Row.fetchAll(db.cachedStatement(sql: attachmentSQL), arguments: [idList]) {
                if let i = position[r["resourceId"]] { records[i].dicomAttachment = attachment(r) }
            }
            let metadataSQL = "SELECT resourceId, value FROM metadata WHERE kind = ? AND resourceId \(SQLValueList.membership)"
            for r in try Row.fetchAll(db.cachedStatement(sql: metadataSQL),
                                      arguments: [MetadataKind.indexInSeries.rawValue, idList]) {
                let text: String = r[1]
                if let i = position[r[0]], let n = Int(text.trimmingCharacters(in: .whitespaces)) {
                    records[i].indexInSeries = n
                }
            }
        }
        return records
    }

    public func lineages(_ level: ResourceLevel, _ publicIDs: [String]) async throws -> [ResourceLineage] {
        if publicIDs.isEmpty { return [] }
        return try await read("read resources with their ancestors") { db in
            // One row per resource: its main tags, then each ancestor's, joined upwards by parent.
            let depth = level.rawValue
            var columns = "r0.publicId, r0.mainTags", joins = ""
            for k in stride(from: 1, through: depth, by: 1) {
                columns += ", r\(k).publicId, r\(k).mainTags"
                joins += " LEFT JOIN resources r\(k) ON r\(k).id = r\(k - 1).parentId"
            }
            let sql = "SELECT \(columns) FROM resources r0\(joins) WHERE +r0.level = ? AND r0.publicId \(SQLValueList.membership)"
            var found: [String: ResourceLineage] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: sql),
                                        arguments: [level.rawValue, SQLValueList.argument(publicIDs)]) {
                var ids: [String] = [], tags: [[UInt8]] = []
                for k in 0 ... depth {
                    guard let id: String = row[2 * k] else { break }
                    ids.append(id)
                    let blob = [UInt8](row[2 * k + 1] as Data)
                    try MainTagsCodec.validate(blob)
                    tags.append(blob)
                }
                found[ids[0]] = ResourceLineage(level: level, publicIDs: ids, encodedTags: tags)
            }
            return publicIDs.compactMap { found[$0] }
        }
    }

    public func list(_ level: ResourceLevel, since: Int, limit: Int?) async throws -> [String] {
        try await read("list resources") { db in
            try String.fetchAll(
                db.cachedStatement(sql: "SELECT publicId FROM resources WHERE level = ? ORDER BY id LIMIT ? OFFSET ?"),
                arguments: [level.rawValue, limit ?? -1, max(0, since)])
        }
    }

    public func descendants(of level: ResourceLevel, _ publicID: String,
                            at target: ResourceLevel) async throws -> [String] {
        guard target >= level else { return [] }
        return try await read("list descendants") { db in
            // One join per level between the resource and the target level.
            var sql = "SELECT t\(target.rawValue).publicId FROM resources t\(level.rawValue)"
            if target > level {
                for l in (level.rawValue + 1) ... target.rawValue {
                    sql += " JOIN resources t\(l) ON t\(l).parentId = t\(l - 1).id"
                }
            }
            sql += " WHERE t\(level.rawValue).publicId = ? AND t\(level.rawValue).level = ? ORDER BY t\(target.rawValue).id"
            return try String.fetchAll(db.cachedStatement(sql: sql), arguments: [publicID, level.rawValue])
        }
    }

    public func containsInstance(_ publicID: String) throws -> Bool {
        do {
            return try pool.read { db in try Self.internalID(db, .instance, publicID) != nil }
        } catch {
            throw IndexError.wrap(error, "look up an instance")
        }
    }

    public func level(of publicID: String) async throws -> ResourceLevel? {
        try readNow("find the level of a resource") { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT level FROM resources WHERE publicId = ?"), arguments: [publicID])
                .flatMap(ResourceLevel.init(rawValue:))
        }
    }

    public func lookup(identifier value: String) async throws -> [(level: ResourceLevel, publicID: String)] {
        let found = try readNow("look up an identifier") { db -> [StableItem] in
            var out: [StableItem] = []
            for level in ResourceLevel.allCases {
                // `+r.level`: ordered by id, SQLite would rather walk the whole level than seek the value.
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT r.publicId FROM identifiers i JOIN resources r ON r.id = i.resourceId
                    WHERE i.tag = ? AND i.value = ? AND +r.level = ? ORDER BY r.id
                    """), arguments: [Int64(level.identifierTag.rawValue), value, level.rawValue])
                out += rows.map { StableItem(level: level, publicID: $0["publicId"]) }
            }
            return out
        }
        return found.map { ($0.level, $0.publicID) }
    }
}
