import DICOM
internal import GRDB

extension SQLiteIndex {
    /// The internal IDs of a resource and all its descendants.
    static let subtreeSQL = """
        WITH RECURSIVE subtree(id) AS (
            SELECT ? UNION ALL SELECT r.id FROM resources r JOIN subtree s ON r.parentId = s.id
        )
        """

    public func delete(_ level: ResourceLevel, _ publicID: String) async throws -> DeletionOutcome? {
        let result = try await write("delete a resource") { db -> DeletionResult? in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, parentId FROM resources WHERE publicId = ? AND level = ?",
                                             arguments: [publicID, level.rawValue]) else { return nil }
            let id: Int64 = row["id"]
            var removed = try Row.fetchAll(db, sql: Self.subtreeSQL + """
                SELECT a.* FROM attachments a JOIN subtree s ON a.resourceId = s.id
                """, arguments: [id]).map(Self.attachment)
            // Foreign keys cascade to descendants and to every row that belongs to them; nothing is logged,
            // as Orthanc keeps deletions out of /changes.
            try db.execute(sql: "DELETE FROM resources WHERE id = ?", arguments: [id])

            // A parent left without children goes too, up to the first ancestor that keeps some.
            var parent: Int64? = row["parentId"]
            while let p = parent {
                guard let prow = try Row.fetchOne(db, sql: "SELECT level, publicId, parentId FROM resources WHERE id = ?",
                                                  arguments: [p]) else { break }
                let hasChildren = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM resources WHERE parentId = ?)",
                                                    arguments: [p]) ?? false
                if hasChildren {
                    return DeletionResult(removed: removed,
                                          ancestor: StableItem(level: ResourceLevel(rawValue: prow["level"]) ?? .patient,
                                                               publicID: prow["publicId"]))
                }
                removed += try Row.fetchAll(db, sql: "SELECT * FROM attachments WHERE resourceId = ?", arguments: [p])
                    .map(Self.attachment)
                try db.execute(sql: "DELETE FROM resources WHERE id = ?", arguments: [p])
                parent = prow["parentId"]
            }
            return DeletionResult(removed: removed, ancestor: nil)
        }
        guard let result else { return nil }
        return DeletionOutcome(removedAttachments: result.removed,
                               remainingAncestor: result.ancestor.map { ($0.level, $0.publicID) })
    }

    struct DeletionResult: Sendable {
        var removed: [Attachment]
        var ancestor: StableItem?
    }
}
