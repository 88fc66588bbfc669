import DICOM
internal import GRDB

extension SQLiteIndex {
    /// The whole index's figures, from the running totals the schema's triggers keep.
    public func statistics() async throws -> Statistics {
        try readNow("read the running totals") { db in
            var s = Statistics()
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, value FROM totals")) {
                let value: Int64 = row[1]
                switch row[0] as String {
                case "patients": s.patients = Int(value)
                case "studies": s.studies = Int(value)
                case "series": s.series = Int(value)
                case "instances": s.instances = Int(value)
                case "disk": s.diskSize = value
                case "raw": s.uncompressedSize = value
                case "dicomDisk": s.dicomDiskSize = value
                case "dicomRaw": s.dicomUncompressedSize = value
                default: break
                }
            }
            return s
        }
    }

    /// `statistics()` counted from the tables themselves, to check the running totals against.
    func recountedStatistics() async throws -> Statistics {
        try await read("recount statistics") { db in
            var s = Statistics()
            for row in try Row.fetchAll(db, sql: "SELECT level, COUNT(*) AS n FROM resources GROUP BY level") {
                Self.setCount(&s, row["level"], row["n"])
            }
            try Self.addSizes(&s, try Row.fetchOne(db, sql: Self.sizesSQL(from: "attachments a")))
            return s
        }
    }

    public func statistics(_ level: ResourceLevel, _ publicID: String) async throws -> Statistics? {
        try await read("compute statistics") { db in
            guard let id = try Self.internalID(db, level, publicID) else { return nil }
            var s = Statistics()
            for row in try Row.fetchAll(db, sql: Self.subtreeSQL + """
                SELECT r.level, COUNT(*) AS n FROM resources r JOIN subtree t ON t.id = r.id GROUP BY r.level
                """, arguments: [id]) {
                Self.setCount(&s, row["level"], row["n"])
            }
            try Self.addSizes(&s, try Row.fetchOne(db, sql: Self.subtreeSQL
                + Self.sizesSQL(from: "attachments a JOIN subtree t ON t.id = a.resourceId"), arguments: [id]))
            return s
        }
    }

    private static func sizesSQL(from: String) -> String {
        """
        SELECT COALESCE(SUM(a.compressedSize), 0) AS disk, COALESCE(SUM(a.uncompressedSize), 0) AS raw,
               COALESCE(SUM(CASE WHEN a.kind = 1 THEN a.compressedSize END), 0) AS dicomDisk,
               COALESCE(SUM(CASE WHEN a.kind = 1 THEN a.uncompressedSize END), 0) AS dicomRaw
        FROM \(from)
        """
    }

    private static func setCount(_ s: inout Statistics, _ level: Int, _ n: Int) {
        switch ResourceLevel(rawValue: level) {
        case .patient: s.patients = n
        case .study: s.studies = n
        case .series: s.series = n
        case .instance: s.instances = n
        case nil: break
        }
    }

    private static func addSizes(_ s: inout Statistics, _ row: Row?) throws {
        guard let row else { return }
        s.diskSize = row["disk"]
        s.uncompressedSize = row["raw"]
        s.dicomDiskSize = row["dicomDisk"]
        s.dicomUncompressedSize = row["dicomRaw"]
    }
}
