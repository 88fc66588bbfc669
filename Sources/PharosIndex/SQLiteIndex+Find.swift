import Foundation
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
///
/// SQLite has no statistics on this index, so it cannot tell a constraint matching 20 patients from one matching
/// 4,000 series. The plan counts the candidates each indexed constraint yields first (index ranges, capped) and
/// lets only the most selective one drive the query. Each other constraint is checked per candidate row: against
/// the list of its matches, built once, when that list is short beside the candidates; otherwise through the
/// `identifiers` primary key.
struct FindPlan: Sendable {
    struct PostFilter: Sendable {
        var tag: Tag
        var constraint: TagConstraint
        /// Distance from the query level (0 = the level itself, 1 = parent …).
        var depth: Int
        var caseInsensitive: Bool
    }

    /// One constraint the index answers, at some depth above the query level.
    struct IndexedConstraint: Sendable {
        /// Distance from the query level of the resource it constrains.
        var depth: Int
        /// `SELECT <id> FROM …` listing the internal IDs of the matching resources (the driver form).
        var matching: String
        /// A test on the resource `{r}`, correlated, answered through a primary key (the filter form).
        var test: String
        var arguments: [any DatabaseValueConvertible & Sendable]

        func filter(on alias: String) -> String { test.replacingOccurrences(of: "{r}", with: alias) }
    }

    /// Counting stops here: past it a constraint is not selective enough to be worth an exact figure.
    static let countCap = 5000

    var level: ResourceLevel
    var indexed: [IndexedConstraint]
    var postFilters: [PostFilter]
    var since: Int
    var limit: Int?
    var maxDepth: Int
    /// Ancestor depths whose main tags the Swift filter needs.
    var blobDepths: [Int]

    init(_ query: FindQuery) throws(IndexError) {
        let level = query.level
        var indexed: [IndexedConstraint] = []
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
            let (test, values) = Self.valueTest(constraint, tag: tag, insensitive: insensitive)
            indexed.append(IndexedConstraint(
                depth: depth,
                matching: "SELECT resourceId FROM identifiers WHERE tag = ? AND \(test)",
                test: "EXISTS (SELECT 1 FROM identifiers WHERE resourceId = {r}.id AND tag = ? AND \(test))",
                arguments: [Int64(tag.rawValue)] + values))
        }
        if !query.labels.isEmpty {
            let list = SQLValueList.membership(count: query.labels.count)
            let labels = SQLValueList.arguments(query.labels)
            switch query.labelsConstraint {
            case .all:
                for label in query.labels {
                    indexed.append(IndexedConstraint(
                        depth: 0, matching: "SELECT resourceId FROM labels WHERE label = ?",
                        test: "EXISTS (SELECT 1 FROM labels WHERE resourceId = {r}.id AND label = ?)", arguments: [label]))
                }
            case .any:
                indexed.append(IndexedConstraint(
                    depth: 0, matching: "SELECT resourceId FROM labels WHERE label \(list)",
                    test: "EXISTS (SELECT 1 FROM labels WHERE resourceId = {r}.id AND label \(list))", arguments: labels))
            case .none:
                // Matches most resources: counted, it never drives unless nothing else is given (the main query
                // keeps the level; both forms take the same arguments).
                indexed.append(IndexedConstraint(
                    depth: 0,
                    matching: "SELECT id FROM resources WHERE NOT EXISTS "
                        + "(SELECT 1 FROM labels WHERE resourceId = resources.id AND label \(list))",
                    test: "NOT EXISTS (SELECT 1 FROM labels WHERE resourceId = {r}.id AND label \(list))",
                    arguments: labels))
            }
        }
        if let modalities = query.modalitiesInStudy, level == .study, !modalities.isEmpty {
            // A study matches when one of its series has one of the modalities (kept per study by the schema).
            let list = SQLValueList.membership(count: modalities.count)
            indexed.append(IndexedConstraint(
                depth: 0, matching: "SELECT studyId FROM studyModalities WHERE modality \(list)",
                test: "EXISTS (SELECT 1 FROM studyModalities WHERE studyId = {r}.id AND modality \(list))",
                arguments: SQLValueList.arguments(modalities)))
        }

        self.level = level
        self.indexed = indexed
        self.postFilters = postFilters
        self.since = max(0, query.since)
        self.limit = query.limit
        self.maxDepth = max(maxDepth, indexed.map(\.depth).max() ?? 0)
        self.blobDepths = Array(Set(postFilters.map(\.depth))).sorted()
    }

    /// The SQL test on `value`/`norm` for one constraint, and its arguments.
    static func valueTest(_ constraint: TagConstraint, tag: Tag,
                          insensitive: Bool) -> (String, [any DatabaseValueConvertible & Sendable]) {
        let column = insensitive ? "norm" : "value"
        let prepare: (String) -> String = { v in
            let n = Matching.normaliseValue(v, tag: tag)
            return insensitive ? Matching.fold(n) : n
        }
        switch constraint {
        case .equal(let v):
            return ("\(column) = ?", [prepare(v)])
        case .wildcard(let p):
            // The pattern is bound through an expression, not as a bare parameter: SQLite would otherwise mark the
            // statement to be prepared again at every execution (its LIKE/GLOB optimisation depends on the bound
            // value). The literal prefix, when there is one, gives the same index range that optimisation would.
            let pattern = Matching.globPattern(prepare(p))
            let prefix = String(pattern.prefix { $0 != "*" && $0 != "?" && $0 != "[" })
            guard !prefix.isEmpty else { return ("\(column) GLOB (? || '')", [pattern]) }
            return ("\(column) >= ? AND \(column) < ? AND \(column) GLOB (? || '')",
                    [prefix, prefix + "\u{10FFFF}", pattern])
        case .range(let lower, let upper):
            var parts: [String] = [], values: [any DatabaseValueConvertible & Sendable] = []
            if let lower, !lower.isEmpty { parts.append("\(column) >= ?"); values.append(prepare(lower)) }
            if let upper, !upper.isEmpty { parts.append("\(column) <= ?"); values.append(prepare(upper)) }
            return (parts.joined(separator: " AND "), values)
        case .list(let list):
            return ("\(column) \(SQLValueList.membership(count: list.count))", SQLValueList.arguments(list.map(prepare)))
        }
    }

    /// How the indexed constraints are used: the one that drives (nil without indexed constraints) and the others
    /// whose matches are listed once rather than probed per candidate.
    struct Strategy: Equatable, Sendable {
        var driver: Int?
        var listed: Set<Int> = []
    }

    /// Chooses the driver (the constraint yielding the fewest candidates at the query level) and, for every other
    /// constraint, how candidates are checked against it.
    ///
    /// Each constraint's matches are counted (up to `countCap`). A match on an ancestor stands for its descendants
    /// at the query level, and how many those are varies (2 studies per patient in one archive, 40 series per
    /// study in another): they are counted under a sample of the matches rather than guessed.
    ///
    /// A probe through the primary key costs a B-tree descent per candidate, while a listed constraint costs one
    /// index range read and then a lookup in a small in-memory table: listing wins while the matches number fewer
    /// than `listFactor` times the candidates.
    func strategy(_ db: Database) throws -> Strategy {
        guard indexed.count > 1 else { return Strategy(driver: indexed.isEmpty ? nil : 0) }
        var best: (index: Int, candidates: Double)?
        // Matches of each constraint counted so far, and whether counting stopped at its cap.
        var counted: [Int: (count: Int, capped: Bool)] = [:]
        for (i, c) in indexed.enumerated() {
            // Every match has at least one descendant, so a constraint matching as many as the best one's
            // candidates cannot beat it: counting stops there.
            let cap = best.map { min(Self.countCap, Int($0.candidates) + 1) } ?? Self.countCap
            let count = try Self.count(db, c, cap: cap)
            counted[i] = (count, count >= cap)
            if best != nil, count >= cap { continue }
            var candidates = Double(count)
            if c.depth > 0, count > 0 {
                let sample = min(count, Self.fanOutSample)
                var below = "SELECT * FROM (\(c.matching) LIMIT ?)"
                for _ in 0 ..< c.depth { below = "SELECT id FROM resources WHERE parentId IN (\(below))" }
                let descendants = try Int.fetchOne(
                    Self.statement(db, "SELECT count(*) FROM (\(below) LIMIT ?)"),
                    arguments: StatementArguments(c.arguments + [sample, Self.countCap])) ?? 0
                candidates *= max(1, Double(descendants) / Double(sample))
            }
            if let best, best.candidates <= candidates { continue }
            best = (i, candidates)
            if count == 0 { break }
        }
        guard let best else { return Strategy(driver: nil) }
        var strategy = Strategy(driver: best.index)
        guard best.candidates > 0 else { return strategy }
        let worthListing = Int(min(Double(Self.listFactor) * best.candidates, Double(Int32.max)))
        for (i, c) in indexed.enumerated() where i != best.index {
            var matches = counted[i]
            if let known = matches, known.capped, known.count <= worthListing {
                // Counting stopped below the bound that decides: count up to it.
                let count = try Self.count(db, c, cap: worthListing + 1)
                matches = (count, count > worthListing)
            }
            if let matches, !matches.capped, matches.count <= worthListing { strategy.listed.insert(i) }
        }
        return strategy
    }

    /// How many resources match `c`, counting no further than `cap`.
    private static func count(_ db: Database, _ c: IndexedConstraint, cap: Int) throws -> Int {
        try Int.fetchOne(Self.statement(db, "SELECT count(*) FROM (\(c.matching) LIMIT ?)"),
                         arguments: StatementArguments(c.arguments + [cap])) ?? 0
    }

    /// How many of an ancestor constraint's matches have their descendants counted for its fan-out.
    static let fanOutSample = 16

    /// A constraint with up to this many matches per candidate of the driver is checked against its list of matches.
    static let listFactor = 16

    func sql(_ strategy: Strategy) -> (String, StatementArguments) {
        let driver = strategy.driver
        var select = "SELECT r0.publicId"
        for d in blobDepths { select += ", r\(d).mainTags AS tags\(d)" }
        var sql = select + " FROM resources r0"
        if maxDepth > 0 {
            for d in 1 ... maxDepth { sql += " JOIN resources r\(d) ON r\(d).id = r\(d - 1).parentId" }
        }
        var args: [any DatabaseValueConvertible] = []
        // Without a driver the level index lists the candidates; with one, `+` keeps SQLite off that index.
        var conditions = [driver == nil ? "r0.level = ?" : "+r0.level = ?"]
        args.append(level.rawValue)
        for (i, c) in indexed.enumerated() {
            if i == driver {
                conditions.append("r\(c.depth).id IN (\(c.matching))")
            } else if strategy.listed.contains(i) {
                // `+` keeps the list from driving: SQLite builds it once and looks each candidate up in it.
                conditions.append("+r\(c.depth).id IN (\(c.matching))")
            } else {
                conditions.append(c.filter(on: "r\(c.depth)"))
            }
            args += c.arguments as [any DatabaseValueConvertible]
        }
        sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY r0.id"
        if postFilters.isEmpty {
            // Everything is in SQL: let SQLite page.
            sql += " LIMIT ? OFFSET ?"
            args.append(limit ?? -1)
            args.append(since)
        }
        return (sql, StatementArguments(args))
    }

    /// A prepared statement for `sql`, kept for the next find of the same shape: preparing (parse, plan, GRDB's
    /// authorizer) cost as much as running a selective find. Values and limits are arguments, so the texts are few;
    /// past `shapes.capacity` distinct texts, new ones are prepared each time, which bounds the memory held.
    static func statement(_ db: Database, _ sql: String) throws -> Statement {
        shapes.admits(sql) ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    /// The find statement texts each connection keeps prepared, at most 512.
    static let shapes = StatementShapes(capacity: 512)

    func run(_ db: Database) throws -> [String] {
        let (sql, arguments) = sql(try strategy(db))
        if postFilters.isEmpty { return try String.fetchAll(Self.statement(db, sql), arguments: arguments) }
        var out: [String] = []
        var skipped = 0
        let cursor = try Row.fetchCursor(Self.statement(db, sql), arguments: arguments)
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

/// Which statement texts may be kept prepared: the first `capacity` distinct ones seen, and no others.
final class StatementShapes: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var known = Set<String>()

    init(capacity: Int) { self.capacity = capacity }

    /// True when `sql` is one of the kept texts, admitting it if there is room.
    func admits(_ sql: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if known.contains(sql) { return true }
        guard known.count < capacity else { return false }
        known.insert(sql)
        return true
    }
}
