import DICOM
import Foundation
internal import GRDB

extension SQLiteIndex {
    /// Records one instance inside the caller's transaction (a savepoint of a group commit).
    /// `pending`, when given, is called last and its attachments recorded beside the instance's own.
    static func storeOne(_ db: Database, _ instance: NewInstance, overwrite: Bool, now: Double, date: String,
                         attachments pending: (() throws -> [Attachment])? = nil) throws -> StoreOutcome {
        let ids = instance.identifiers
        var outcome = StoreOutcome.stored
        if let existing = try internalID(db, .instance, ids.instance) {
            guard overwrite else { return .alreadyStored }
            let removed = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM attachments WHERE resourceId = ?"),
                                           arguments: [existing]).map(attachment)
            // Only the instance goes: its ancestors are about to receive it again.
            try db.cachedStatement(sql: "DELETE FROM resources WHERE id = ?").execute(arguments: [existing])
            outcome = .overwritten(removedAttachments: removed)
        }

        let patient = try ensure(db, .patient, ids.patient, parent: nil, tags: instance.patientTags, date: date)
        let study = try ensure(db, .study, ids.study, parent: patient, tags: instance.studyTags, date: date,
                               patientTags: instance.patientTags)
        let series = try ensure(db, .series, ids.series, parent: study, tags: instance.seriesTags, date: date,
                                expected: instance.expectedInstancesInSeries)
        let inst = try insertResource(db, .instance, ids.instance, parent: series, tags: instance.instanceTags)

        var metadata = instance.metadata
        if metadata[.mainDicomTagsSignature] == nil {
            metadata[.mainDicomTagsSignature] = MainDicomTags.signature(.instance)
        }
        let insertMetadata = try db.cachedStatement(sql: "INSERT OR REPLACE INTO metadata(resourceId, kind, value) VALUES (?, ?, ?)")
        for (kind, value) in metadata {
            try insertMetadata.execute(arguments: [inst, kind.rawValue, value])
        }
        if let header = instance.header {
            try db.cachedStatement(sql: "INSERT INTO headers(resourceId, header) VALUES (?, ?)")
                .execute(arguments: [inst, Data(header)])
        }
        let seq = try logChange(db, .newInstance, .instance, ids.instance, date: date)
        // A new instance makes its ancestors unstable again and moves its patient to the end of the recycling order.
        try db.cachedStatement(sql: "UPDATE resources SET lastUpdate = ?, isStable = 0 WHERE id IN (?, ?, ?)")
            .execute(arguments: [now, patient, study, series])
        try db.cachedStatement(sql: "UPDATE resources SET recycleOrder = ? WHERE id = ?").execute(arguments: [seq, patient])
        let insertAttachment = try db.cachedStatement(sql: """
            INSERT INTO attachments(resourceId, kind, uuid, compressedSize, uncompressedSize, compression,
                                               md5Compressed, md5Uncompressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Last: the rows above are written while a pending file is being flushed, its attachments once it is on disk.
        for a in try instance.attachments + (pending?() ?? []) {
            try insertAttachment.execute(arguments: [inst, a.kind.rawValue, a.uuid, a.compressedSize, a.uncompressedSize,
                                                     a.compression, a.md5Compressed, a.md5Uncompressed])
        }
        return outcome
    }

    /// The internal ID of a resource, created (with its New* change) when missing.
    private static func ensure(_ db: Database, _ level: ResourceLevel, _ publicID: String, parent: Int64?,
                               tags: MainTags, date: String, patientTags: MainTags? = nil,
                               expected: Int? = nil) throws -> Int64 {
        if let id = try internalID(db, level, publicID) {
            if let expected {
                try db.cachedStatement(sql: "UPDATE resources SET expectedInstances = ? WHERE id = ? AND expectedInstances IS NULL")
                    .execute(arguments: [expected, id])
            }
            return id
        }
        let id = try insertResource(db, level, publicID, parent: parent, tags: tags, patientTags: patientTags,
                                    expected: expected)
        try db.cachedStatement(sql: "INSERT INTO metadata(resourceId, kind, value) VALUES (?, ?, ?)")
            .execute(arguments: [id, MetadataKind.mainDicomTagsSignature.rawValue, MainDicomTags.signature(level)])
        let type: ChangeType = switch level {
        case .patient: .newPatient
        case .study: .newStudy
        case .series: .newSeries
        case .instance: .newInstance
        }
        _ = try logChange(db, type, level, publicID, date: date)
        return id
    }

    private static func insertResource(_ db: Database, _ level: ResourceLevel, _ publicID: String, parent: Int64?,
                                       tags: MainTags, patientTags: MainTags? = nil, expected: Int? = nil) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO resources(level, publicId, parentId, mainTags, patientTags, expectedInstances)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [level.rawValue, publicID, parent, MainTagsCodec.encode(tags),
                                     patientTags.map(MainTagsCodec.encode), expected])
        let id = db.lastInsertedRowID
        let insertIdentifier = try db.cachedStatement(sql: "INSERT INTO identifiers(resourceId, tag, value, norm) VALUES (?, ?, ?, ?)")
        let indexed = MainDicomTags.indexed(level)
        for (tag, value) in tags where indexed.contains(tag) {
            let v = Matching.normaliseValue(value, tag: tag)
            try insertIdentifier.execute(arguments: [id, Int64(tag.rawValue), v, Matching.fold(v)])
        }
        return id
    }
}
