import DICOM
internal import GRDB

extension SQLiteIndex {
    public func statistics() async throws -> Statistics {
        try await read("compute statistics") { db in
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
