internal import GRDB

/// The SQLite schema, as named append-only migrations (never edit a registered migration: add a new one).
enum SQLiteSchema {
    /// Recorded in the `globals` table under `SchemaVersion`; bumped by each migration that changes the schema.
    static let version = 3
    static let versionKey = "SchemaVersion"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-resources") { db in
            try db.execute(sql: """
                CREATE TABLE resources (
                    id INTEGER PRIMARY KEY,
                    level INTEGER NOT NULL,
                    publicId TEXT NOT NULL UNIQUE,
                    parentId INTEGER REFERENCES resources(id) ON DELETE CASCADE,
                    mainTags BLOB NOT NULL,
                    patientTags BLOB,
                    isProtected INTEGER NOT NULL DEFAULT 0,
                    lastUpdate REAL,
                    isStable INTEGER NOT NULL DEFAULT 0,
                    recycleOrder INTEGER,
                    expectedInstances INTEGER
                );
                CREATE INDEX resources_parent ON resources(parentId);
                CREATE INDEX resources_level ON resources(level, id);
                CREATE INDEX resources_unstable ON resources(lastUpdate) WHERE isStable = 0 AND level < 3;
                CREATE INDEX resources_recycling ON resources(recycleOrder) WHERE level = 0;

                CREATE TABLE identifiers (
                    resourceId INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                    tag INTEGER NOT NULL,
                    value TEXT NOT NULL,
                    norm TEXT NOT NULL,
                    PRIMARY KEY (resourceId, tag)
                ) WITHOUT ROWID;
                CREATE INDEX identifiers_value ON identifiers(tag, value);
                CREATE INDEX identifiers_norm ON identifiers(tag, norm);

                CREATE TABLE metadata (
                    resourceId INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                    kind INTEGER NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (resourceId, kind)
                ) WITHOUT ROWID;

                CREATE TABLE attachments (
                    resourceId INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                    kind INTEGER NOT NULL,
                    uuid TEXT NOT NULL,
                    compressedSize INTEGER NOT NULL,
                    uncompressedSize INTEGER NOT NULL,
                    compression INTEGER NOT NULL,
                    md5Compressed TEXT NOT NULL,
                    md5Uncompressed TEXT NOT NULL,
                    PRIMARY KEY (resourceId, kind)
                ) WITHOUT ROWID;
                CREATE INDEX attachments_uuid ON attachments(uuid);

                CREATE TABLE headers (
                    resourceId INTEGER PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
                    header BLOB NOT NULL
                );

                CREATE TABLE labels (
                    resourceId INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    PRIMARY KEY (resourceId, label)
                ) WITHOUT ROWID;
                CREATE INDEX labels_label ON labels(label);

                CREATE TABLE changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    type INTEGER NOT NULL,
                    level INTEGER NOT NULL,
                    publicId TEXT NOT NULL,
                    date TEXT NOT NULL
                );

                CREATE TABLE exports (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    level INTEGER NOT NULL,
                    publicId TEXT NOT NULL,
                    remoteModality TEXT NOT NULL,
                    patientId TEXT,
                    studyInstanceUid TEXT,
                    seriesInstanceUid TEXT,
                    sopInstanceUid TEXT,
                    date TEXT NOT NULL
                );

                CREATE TABLE globals (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
            try db.execute(sql: "INSERT INTO globals(key, value) VALUES (?, ?)", arguments: [versionKey, "1"])
        }
        // The modalities of each study's series, so that a ModalitiesInStudy constraint is one primary-key probe per
        // study instead of a walk over its series. Triggers keep it current whatever adds or removes a series
        // (ingest, deletion at any level, recycling, the cascade from a removed parent). 524384 is (0008,0060).
        migrator.registerMigration("v2-study-modalities") { db in
            try db.execute(sql: """
                CREATE TABLE studyModalities (
                    studyId INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                    modality TEXT NOT NULL,
                    PRIMARY KEY (studyId, modality)
                ) WITHOUT ROWID;
                CREATE INDEX studyModalities_modality ON studyModalities(modality, studyId);

                INSERT OR IGNORE INTO studyModalities(studyId, modality)
                    SELECT s.parentId, i.value FROM resources s JOIN identifiers i ON i.resourceId = s.id AND i.tag = 524384
                    WHERE s.level = 2 AND i.value <> '';

                CREATE TRIGGER seriesModalityAdded AFTER INSERT ON identifiers
                WHEN NEW.tag = 524384 AND NEW.value <> '' BEGIN
                    INSERT OR IGNORE INTO studyModalities(studyId, modality)
                        SELECT parentId, NEW.value FROM resources WHERE id = NEW.resourceId AND level = 2;
                END;

                CREATE TRIGGER seriesRemoved AFTER DELETE ON resources WHEN OLD.level = 2 BEGIN
                    DELETE FROM studyModalities WHERE studyId = OLD.parentId AND modality NOT IN (
                        SELECT i.value FROM resources s JOIN identifiers i ON i.resourceId = s.id AND i.tag = 524384
                        WHERE s.parentId = OLD.parentId);
                END;
                """)
            try db.execute(sql: "UPDATE globals SET value = ? WHERE key = ?", arguments: ["2", versionKey])
        }
        // Running totals for /statistics (and the storage limits checked before each ingest), kept by triggers
        // (Orthanc keeps the same in its index):
        // summing every attachment took 12 ms on 20,000 instances and grows with the archive. Rows are only ever
        // inserted and deleted (cascades included, which fire the triggers); attachments are never replaced.
        migrator.registerMigration("v3-totals-series-trigger") { db in
            try db.execute(sql: """
                CREATE TABLE totals (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO totals(name, value) VALUES
                    ('patients', (SELECT COUNT(*) FROM resources WHERE level = 0)),
                    ('studies', (SELECT COUNT(*) FROM resources WHERE level = 1)),
                    ('series', (SELECT COUNT(*) FROM resources WHERE level = 2)),
                    ('instances', (SELECT COUNT(*) FROM resources WHERE level = 3)),
                    ('disk', (SELECT COALESCE(SUM(compressedSize), 0) FROM attachments)),
                    ('raw', (SELECT COALESCE(SUM(uncompressedSize), 0) FROM attachments)),
                    ('dicomDisk', (SELECT COALESCE(SUM(compressedSize), 0) FROM attachments WHERE kind = 1)),
                    ('dicomRaw', (SELECT COALESCE(SUM(uncompressedSize), 0) FROM attachments WHERE kind = 1));

                CREATE TRIGGER resourceCounted AFTER INSERT ON resources BEGIN
                    UPDATE totals SET value = value + 1 WHERE name = CASE NEW.level
                        WHEN 0 THEN 'patients' WHEN 1 THEN 'studies' WHEN 2 THEN 'series' ELSE 'instances' END;
                END;
                CREATE TRIGGER resourceUncounted AFTER DELETE ON resources BEGIN
                    UPDATE totals SET value = value - 1 WHERE name = CASE OLD.level
                        WHEN 0 THEN 'patients' WHEN 1 THEN 'studies' WHEN 2 THEN 'series' ELSE 'instances' END;
                END;
                CREATE TRIGGER attachmentCounted AFTER INSERT ON attachments BEGIN
                    UPDATE totals SET value = value + CASE name
                        WHEN 'disk' THEN NEW.compressedSize WHEN 'raw' THEN NEW.uncompressedSize
                        WHEN 'dicomDisk' THEN NEW.compressedSize ELSE NEW.uncompressedSize END
                    WHERE name IN ('disk', 'raw') OR (NEW.kind = 1 AND name IN ('dicomDisk', 'dicomRaw'));
                END;
                CREATE TRIGGER attachmentUncounted AFTER DELETE ON attachments BEGIN
                    UPDATE totals SET value = value - CASE name
                        WHEN 'disk' THEN OLD.compressedSize WHEN 'raw' THEN OLD.uncompressedSize
                        WHEN 'dicomDisk' THEN OLD.compressedSize ELSE OLD.uncompressedSize END
                    WHERE name IN ('disk', 'raw') OR (OLD.kind = 1 AND name IN ('dicomDisk', 'dicomRaw'));
                END;
                """)
            // The series trigger of v2 looked the remaining modalities up through the value index, every series'
            // Modality (7 ms per series deleted on 4,000 series): CROSS JOIN walks the study's series instead.
            try db.execute(sql: """
                DROP TRIGGER seriesRemoved;
                CREATE TRIGGER seriesRemoved AFTER DELETE ON resources WHEN OLD.level = 2 BEGIN
                    DELETE FROM studyModalities WHERE studyId = OLD.parentId AND modality NOT IN (
                        SELECT i.value FROM resources s CROSS JOIN identifiers i ON i.resourceId = s.id AND i.tag = 524384
                        WHERE s.parentId = OLD.parentId);
                END;
                """)
            try db.execute(sql: "UPDATE globals SET value = ? WHERE key = ?", arguments: ["3", versionKey])
        }
        return migrator
    }
}
