import DICOM
internal import GRDB

extension SQLiteIndex {
    /// Translates a find into one SQL query on the `identifiers` table (constraints on ancestors through joins on
    /// the parent chain); constraints on main tags without an indexed column are checked in Swift afterwards.
    public func find(_ query: FindQuery) async throws -> [String] {
        let plan = try FindPlan(query)
        return try await read("run a find") { db in try plan.run(db) }
    }
}

/// A find query compiled to SQL plus the constraints left for Swift.
struct FindPlan: Sendable {
    struct PostFilter: Sendable {
        var tag: Tag
        var constraint: TagConstraint
        /// Distance from the query level (0 = the level itself, 1 = parent …).
        var depth: Int
        var caseInsensitive: Bool
    }

    var sql: String
    var arguments: StatementArguments
    var postFilters: [PostFilter]
    var since: Int
    var limit: Int?
    /// Ancestor depths whose main tags the Swift filter needs.
    var blobDepths: [Int]

    init(_ query: FindQuery) throws(IndexError) {
        let level = query.level
        var conditions: [String] = ["r0.level = ?"]
        var args: [any DatabaseValueConvertible] = [level.rawValue]
        var postFilters: [PostFilter] = []
        var maxDepth = 0

        for (tag, constraint) in query.constraints.sorted(by: { $0.key < $1.key }) {
            guard let owner = MainDicomTags.owningLevel(of: tag, forQueryAt: level) else {
                throw IndexError(.unsupportedConstraint,
                                 "\(tag.hex(separator: ",")) is not a main DICOM tag of the \(level.name) level or "
                                 + "of its parents: the index cannot match it")
            }
            if Matching.isUniversal(constraint) { continue }
            let depth = level.rawValue - owner.rawValue
            maxDepth = max(maxDepth, depth)
            let insensitive = !query.caseSensitive && MainDicomTags.isPersonName(tag)
            guard MainDicomTags.indexed(owner).contains(tag) else {
                postFilters.append(PostFilter(tag: tag, constraint: constraint, depth: depth, caseInsensitive: insensitive))
                continue
            }
            let column = insensitive ? "norm" : "value"
            let prepare: (String) -> String = { v in
                let n = Matching.normaliseValue(v, tag: tag)
                return insensitive ? Matching.fold(n) : n
            }
            var test: String
            var values: [any DatabaseValueConvertible] = [Int64(tag.rawValue)]
            switch constraint {
            case .equal(let v):
                test = "\(column) = ?"
                values.append(prepare(v))
            case .wildcard(let p):
                test = "\(column) GLOB ?"
                values.append(Matching.globPattern(prepare(p)))
            case .range(let lower, let upper):
                var parts: [String] = []
                if let lower, !lower.isEmpty { parts.append("\(column) >= ?"); values.append(prepare(lower)) }
                if let upper, !upper.isEmpty { parts.append("\(column) <= ?"); values.append(prepare(upper)) }
                test = parts.joined(separator: " AND ")
            case .list(let list):
                test = "\(column) IN (\(Array(repeating: "?", count: list.count).joined(separator: ",")))"
                values += list.map(prepare)
            }
            conditions.append("r\(depth).id IN (SELECT resourceId FROM identifiers WHERE tag = ? AND \(test))")
            args += values
        }
        for label in query.labels {
            conditions.append("r0.id IN (SELECT resourceId FROM labels WHERE label = ?)")
            args.append(label)
        }

        let depths = Array(Set(postFilters.map(\.depth))).sorted()
        var select = "SELECT r0.publicId"
        for d in depths { select += ", r\(d).mainTags AS tags\(d)" }
        var sql = select + " FROM resources r0"
        if maxDepth > 0 {
            for d in 1 ... maxDepth { sql += " JOIN resources r\(d) ON r\(d).id = r\(d - 1).parentId" }
        }
        sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY r0.id"
        if postFilters.isEmpty {
            // Everything is in SQL: let SQLite page.
            sql += " LIMIT ? OFFSET ?"
            args.append(query.limit ?? -1)
            args.append(max(0, query.since))
        }
        self.sql = sql
        self.arguments = StatementArguments(args)
        self.postFilters = postFilters
        self.since = max(0, query.since)
        self.limit = query.limit
        self.blobDepths = depths
    }

    func run(_ db: Database) throws -> [String] {
        if postFilters.isEmpty { return try String.fetchAll(db, sql: sql, arguments: arguments) }
        var out: [String] = []
        var skipped = 0
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            var tagsByDepth: [Int: MainTags] = [:]
            for d in blobDepths { tagsByDepth[d] = try MainTagsCodec.decode(row["tags\(d)"]) }
            let ok = postFilters.allSatisfy { f in
                Matching.matches(f.constraint, value: tagsByDepth[f.depth]?[f.tag], tag: f.tag,
                                 caseInsensitive: f.caseInsensitive)
            }
            guard ok else { continue }
            if skipped < since { skipped += 1; continue }
            out.append(row["publicId"])
            if let limit, out.count >= limit { break }
        }
        return out
    }
}
