import DICOM
import Foundation
import GRDB
import Testing
@testable import PharosIndex

@Suite struct IndexTests {
    let folder = makeIndexFolder()

    func open() throws -> SQLiteIndex { try SQLiteIndex(directory: folder) }

    @Test func timestampsInOrthancForm() {
        #expect(Timestamp.format(0) == "19700101T000000")
        #expect(Timestamp.format(1_700_000_000.9) == "20231114T221320", "seconds are truncated")
        #expect(Timestamp.format(4_102_444_799) == "20991231T235959")
        // Local time follows the C library's zone, as Orthanc's ReceptionDate and /tools/now-local do.
        var t = time_t(1_700_000_000), parts = tm()
        localtime_r(&t, &parts)
        let local = Timestamp.format(1_700_000_000, utc: false)
        #expect(local.count == 15 && local.hasPrefix(String(parts.tm_year + 1900)))
        #expect(Int(local.suffix(6).prefix(2)) == Int(parts.tm_hour))
    }

    @Test func storeDuplicateAndOverwrite() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let first = makeInstance(sop: "1.2.3.4.1", uuid: "00000000-0000-0000-0000-000000000001")
        #expect(try await index.store(first, overwrite: false) == .stored)
        let again = makeInstance(sop: "1.2.3.4.1", uuid: "00000000-0000-0000-0000-000000000002")
        #expect(try await index.store(again, overwrite: false) == .alreadyStored)
        let id = first.identifiers.instance
        #expect(try await index.resource(.instance, id)?.dicomAttachment?.uuid == "00000000-0000-0000-0000-000000000001")
        let outcome = try await index.store(again, overwrite: true)
        guard case .overwritten(let removed) = outcome else { Issue.record("not overwritten: \(outcome)"); return }
        #expect(removed.map(\.uuid) == ["00000000-0000-0000-0000-000000000001"])
        let record = try #require(try await index.resource(.instance, id))
        #expect(record.dicomAttachment?.uuid == "00000000-0000-0000-0000-000000000002")
        #expect(record.parentID == first.identifiers.series)
        let stats = try await index.statistics()
        #expect(stats.patients == 1 && stats.studies == 1 && stats.series == 1 && stats.instances == 1)
    }

    @Test func hierarchyChildrenAndLookups() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let a = makeInstance(sop: "1.1", instanceNumber: 1, header: [1, 2, 3])
        let b = makeInstance(sop: "1.2", instanceNumber: 2)
        let c = makeInstance(series: "1.2.3.5", sop: "1.3", modality: "MR")
        let d = makeInstance(study: "9.9", series: "9.9.1", sop: "9.9.1.1")
        for i in [a, b, c, d] { #expect(try await index.store(i, overwrite: false) == .stored) }
        let ids = a.identifiers

        let patient = try #require(try await index.resource(.patient, ids.patient))
        #expect(patient.parentID == nil)
        #expect(patient.childrenIDs == [ids.study, d.identifiers.study])
        #expect(patient.mainTags[.patientName] == "DOE^JOHN")
        #expect(!patient.lastUpdate.isEmpty && patient.lastUpdate.count == 15 && patient.lastUpdate.contains("T"))
        let study = try #require(try await index.resource(.study, ids.study))
        #expect(study.parentID == ids.patient)
        #expect(study.childrenIDs == [ids.series, c.identifiers.series])
        #expect(study.patientMainTags[.patientID] == "P1")
        #expect(study.mainTags[DICOM.Tag(0x0008, 0x0050)] == "ACC1")
        let series = try #require(try await index.resource(.series, ids.series))
        #expect(series.childrenIDs == [ids.instance, b.identifiers.instance])
        #expect(series.expectedInstances == 3)
        #expect(series.mainTags[.modality] == "CT")
        let instance = try #require(try await index.resource(.instance, ids.instance))
        #expect(instance.indexInSeries == 1)
        #expect(instance.dicomAttachment?.compressedSize == 1000)
        #expect(instance.childrenIDs.isEmpty)

        #expect(try await index.resource(.study, ids.patient) == nil, "wrong level")
        #expect(try await index.level(of: ids.series) == .series)
        #expect(try await index.level(of: "nope") == nil)
        #expect(try await index.list(.instance, since: 0, limit: nil).count == 4)
        #expect(try await index.list(.instance, since: 1, limit: 2) == [b.identifiers.instance, c.identifiers.instance])
        #expect(try await index.descendants(of: .patient, ids.patient, at: .instance).count == 4)
        #expect(try await index.descendants(of: .study, ids.study, at: .instance)
                == [ids.instance, b.identifiers.instance, c.identifiers.instance])
        #expect(try await index.descendants(of: .series, ids.series, at: .series) == [ids.series])
        let batch = try await index.resources(.instance, [d.identifiers.instance, "missing", ids.instance])
        #expect(batch.map(\.publicID) == [d.identifiers.instance, ids.instance])

        let found = try await index.lookup(identifier: "1.2.3")
        #expect(found.map(\.level) == [.study] && found.map(\.publicID) == [ids.study])
        #expect(try await index.lookup(identifier: "P1").map(\.publicID) == [ids.patient])
        #expect(try await index.lookup(identifier: "1.3").map(\.level) == [.instance])

        #expect(try await index.header(ofInstance: ids.instance) == [1, 2, 3])
        #expect(try await index.header(ofInstance: b.identifiers.instance) == nil)
        #expect(try await index.attachments(.instance, ids.instance).map(\.kind) == [.dicom])
    }

    @Test func lineagesCarryEveryAncestorsMainTags() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let a = makeInstance(sop: "1.1", patientName: "Doe^John", modality: "CT", accession: "ACC9")
        let b = makeInstance(patient: "P2", study: "2.1", series: "2.1.1", sop: "2.1.1.1", patientName: "Roe^Jane",
                             modality: "MR")
        for i in [a, b] { #expect(try await index.store(i, overwrite: false) == .stored) }
        let ids = a.identifiers
        let found = try await index.lineages(.instance, [b.identifiers.instance, "missing", ids.instance])
        #expect(found.map { $0.publicIDs[0] } == [b.identifiers.instance, ids.instance], "order asked, missing left out")
        let lineage = try #require(found.last)
        #expect(lineage.publicIDs == [ids.instance, ids.series, ids.study, ids.patient])
        #expect(lineage.mainTags.count == 4)
        #expect(lineage.value(.patientName) == "Doe^John")
        #expect(lineage.value(.modality) == "CT")
        #expect(lineage.value(DICOM.Tag(0x0008, 0x0050)) == "ACC9")
        #expect(lineage.value(.sopInstanceUID) == "1.1")
        let studies = try await index.lineages(.study, [b.identifiers.study])
        #expect(studies.first?.publicIDs == [b.identifiers.study, b.identifiers.patient])
        #expect(studies.first?.value(.patientName) == "Roe^Jane")
        #expect(try await index.lineages(.patient, [ids.study]).isEmpty, "wrong level")
        #expect(try await index.lineages(.series, []).isEmpty)
    }

    @Test func listsOfAnyLengthAndContent() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let a = makeInstance(patient: "P\"1", study: "1.1", series: "1.1.1", sop: "1.1.1.1")
        let b = makeInstance(patient: "P\\2", study: "2.1", series: "2.1.1", sop: "2.1.1.1")
        for i in [a, b] { #expect(try await index.store(i, overwrite: false) == .stored) }
        // More values than SQLite binds as variables (32,766): the list goes as one argument.
        let many = (0 ..< 40_000).map { "1.1.1.\($0)" }
        let found = try await index.find(FindQuery(level: .instance, constraints: [.sopInstanceUID: .list(many)]))
        #expect(found == [a.identifiers.instance])
        // Quotes and backslashes survive the JSON the list travels in.
        #expect(try await index.find(FindQuery(level: .patient, constraints: [.patientID: .list(["P\"1", "P\\2", "x"])]))
                == [a.identifiers.patient, b.identifiers.patient])
        let records = try await index.resources(.series, many.map { _ in b.identifiers.series } + [a.identifiers.series])
        #expect(Set(records.map(\.publicID)) == [a.identifiers.series, b.identifiers.series])
    }

    @Test func deleteCascadesAndReportsRemainingAncestor() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let a = makeInstance(sop: "1.1", uuid: "00000000-0000-0000-0000-00000000000a")
        let b = makeInstance(sop: "1.2", uuid: "00000000-0000-0000-0000-00000000000b")
        let c = makeInstance(series: "1.2.3.5", sop: "1.3", uuid: "00000000-0000-0000-0000-00000000000c")
        for i in [a, b, c] { _ = try await index.store(i, overwrite: false) }
        let changesBefore = try await index.changes(since: 0, limit: 100).changes.count

        // An instance with a sibling: the series remains.
        let one = try #require(try await index.delete(.instance, a.identifiers.instance))
        #expect(one.removedAttachments.map(\.uuid) == ["00000000-0000-0000-0000-00000000000a"])
        #expect(one.remainingAncestor?.level == .series && one.remainingAncestor?.publicID == a.identifiers.series)

        // The last instance of a series: the series goes, the study remains.
        let two = try #require(try await index.delete(.instance, b.identifiers.instance))
        #expect(two.remainingAncestor?.level == .study && two.remainingAncestor?.publicID == a.identifiers.study)
        #expect(try await index.resource(.series, a.identifiers.series) == nil)

        // The study with everything below it: the patient loses its last child and goes too.
        let three = try #require(try await index.delete(.study, a.identifiers.study))
        #expect(three.removedAttachments.map(\.uuid) == ["00000000-0000-0000-0000-00000000000c"])
        #expect(three.remainingAncestor == nil)
        #expect(try await index.resource(.patient, a.identifiers.patient) == nil)
        let stats = try await index.statistics()
        #expect(stats == Statistics())
        #expect(try await index.delete(.study, a.identifiers.study) == nil, "already gone")
        #expect(try await index.changes(since: 0, limit: 100).changes.count == changesBefore, "deletions are not logged")
        #expect(try await index.lookup(identifier: "1.3").isEmpty, "identifiers cascade")
    }

    @Test func studyModalitiesFollowSeriesAndAreBackfilledByTheMigration() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let s1 = makeInstance(study: "5.1", series: "5.1.1", sop: "5.1.1.1", modality: "CT")
        let s2 = makeInstance(study: "5.1", series: "5.1.2", sop: "5.1.2.1", modality: "MR")
        let s3 = makeInstance(study: "5.1", series: "5.1.3", sop: "5.1.3.1", modality: "CT")
        let t1 = makeInstance(study: "6.1", series: "6.1.1", sop: "6.1.1.1", modality: "CT")
        let (s, t) = (s1.identifiers.study, t1.identifiers.study)
        func studies(_ index: SQLiteIndex, _ modalities: [String]) async throws -> [String] {
            try await index.find(FindQuery(level: .study, modalitiesInStudy: modalities))
        }
        do {
            let index = try open()
            for i in [s1, s2, t1] { _ = try await index.store(i, overwrite: false) }
            #expect(try await studies(index, ["MR"]) == [s])
            #expect(try await studies(index, ["CT"]) == [s, t])
            // A series going takes its modality away from the study, unless another series of the study has it.
            _ = try await index.delete(.series, s2.identifiers.series)
            #expect(try await studies(index, ["MR"]).isEmpty)
            _ = try await index.store(s3, overwrite: false)
            _ = try await index.delete(.series, s1.identifiers.series)
            #expect(try await studies(index, ["CT"]) == [s, t])
            // The last instance of a study: the series and the study go through the cascade.
            _ = try await index.delete(.instance, t1.identifiers.instance)
            #expect(try await studies(index, ["CT"]) == [s])
            _ = try await index.store(s2, overwrite: false)
        }
        // An index made before the table existed: reopening fills it from the series already stored.
        let queue = try DatabaseQueue(path: folder + "/index.sqlite")
        try await queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER seriesModalityAdded; DROP TRIGGER seriesRemoved; DROP TABLE studyModalities;
                DELETE FROM grdb_migrations WHERE identifier = 'v2-study-modalities';
                UPDATE globals SET value = '1' WHERE key = 'SchemaVersion';
                """)
        }
        try queue.close()
        let reopened = try open()
        #expect(try await reopened.globalProperty("SchemaVersion") == "2")
        #expect(try await studies(reopened, ["MR"]) == [s])
        #expect(try await studies(reopened, ["CT", "US"]) == [s])
        #expect(try await studies(reopened, ["US"]).isEmpty)
    }

    @Test func runningTotalsMatchTheTablesThroughStoresOverwritesDeletionsAndAnUpgrade() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let index = try open()
            func check(_ step: String) async throws {
                let running = try await index.statistics(), counted = try await index.recountedStatistics()
                #expect(running == counted, "\(step)")
            }
            try await check("empty")
            for n in 0 ..< 6 {
                _ = try await index.store(makeInstance(patient: "P\(n % 2)", study: "4.\(n % 3)", series: "4.\(n % 3).\(n % 2)",
                                                       sop: "4.\(n)", size: Int64(100 * (n + 1))), overwrite: false)
            }
            try await check("stored")
            #expect(try await index.statistics().instances == 6)
            // A copy refused, then one replacing the stored instance (its old attachment goes through the cascade).
            _ = try await index.store(makeInstance(patient: "P0", study: "4.0", series: "4.0.0", sop: "4.0", size: 5),
                                      overwrite: false)
            try await check("refused copy")
            _ = try await index.store(makeInstance(patient: "P0", study: "4.0", series: "4.0.0", sop: "4.0", size: 7),
                                      overwrite: true)
            try await check("overwritten")
            _ = try await index.delete(.series, makeInstance(patient: "P1", study: "4.1", series: "4.1.1", sop: "x").identifiers.series)
            try await check("series deleted")
            _ = try await index.delete(.patient, makeInstance(patient: "P0", sop: "x").identifiers.patient)
            try await check("patient deleted")
        }
        // An index made before the totals existed: reopening fills them from what is stored.
        let queue = try DatabaseQueue(path: folder + "/index.sqlite")
        try await queue.write { db in
            try db.execute(sql: """
                DROP TRIGGER resourceCounted; DROP TRIGGER resourceUncounted; DROP TRIGGER attachmentCounted;
                DROP TRIGGER attachmentUncounted; DROP TABLE totals;
                DELETE FROM grdb_migrations WHERE identifier = 'v3-totals-series-trigger';
                UPDATE globals SET value = '2' WHERE key = 'SchemaVersion';
                """)
        }
        try queue.close()
        let reopened = try open()
        #expect(try await reopened.globalProperty("SchemaVersion") == "3")
        let running = try await reopened.statistics()
        #expect(running == (try await reopened.recountedStatistics()) && running.instances > 0)
    }

    @Test func attachmentsAreReplacedOnlyWhileTheyAreTheExpectedFile() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let stored = makeInstance(sop: "5.1", size: 400, uuid: "aaaaaaaa-0000-0000-0000-000000000001")
        _ = try await index.store(stored, overwrite: false)
        let id = stored.identifiers.instance
        let replacement = Attachment(kind: .dicom, uuid: "bbbbbbbb-0000-0000-0000-000000000002", compressedSize: 150,
                                     uncompressedSize: 800, compression: 2, md5Compressed: "22", md5Uncompressed: "11")
        // Another file expected: nothing changes.
        #expect(try await !index.replaceAttachment(.instance, id, expectedUUID: "cccccccc-0000-0000-0000-000000000003",
                                                   with: replacement))
        #expect(try await index.attachments(.instance, id).map(\.uuid) == ["aaaaaaaa-0000-0000-0000-000000000001"])
        #expect(try await index.replaceAttachment(.instance, id, expectedUUID: "aaaaaaaa-0000-0000-0000-000000000001",
                                                  with: replacement))
        #expect(try await index.attachments(.instance, id) == [replacement])
        #expect(try await index.statistics().diskSize == 150)
        #expect(try await index.statistics() == (try await index.recountedStatistics()))
        #expect(try await !index.replaceAttachment(.instance, "unknown", expectedUUID: replacement.uuid, with: replacement))
    }

    @Test func changesPaging() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let empty = try await index.changes(since: 0, limit: 10)
        #expect(empty.changes.isEmpty && empty.done && empty.last == 0)
        _ = try await index.store(makeInstance(sop: "1.1"), overwrite: false)
        _ = try await index.store(makeInstance(sop: "1.2"), overwrite: false)
        let all = try await index.changes(since: 0, limit: 100)
        #expect(all.changes.map(\.type) == [.newPatient, .newStudy, .newSeries, .newInstance, .newInstance])
        #expect(all.done && all.last == all.changes.last?.seq)
        #expect(all.changes.first?.level == .patient && all.changes.last?.level == .instance)
        #expect(all.changes.allSatisfy { $0.date.count == 15 })
        let first = try await index.changes(since: 0, limit: 2)
        #expect(first.changes.count == 2 && !first.done && first.last == first.changes[1].seq)
        let next = try await index.changes(since: first.last, limit: 2)
        #expect(next.changes.map(\.type) == [.newSeries, .newInstance] && !next.done)
        let rest = try await index.changes(since: next.last, limit: 2)
        #expect(rest.changes.count == 1 && rest.done)
        let beyond = try await index.changes(since: rest.last, limit: 2)
        #expect(beyond.changes.isEmpty && beyond.done && beyond.last == rest.last)
        #expect(try await index.lastChange()?.seq == rest.last)

        try await index.logChange(.updatedMetadata, .instance, "x")
        #expect(try await index.lastChange()?.type == .updatedMetadata)
        try await index.clearChanges()
        let cleared = try await index.changes(since: 0, limit: 10)
        #expect(cleared.changes.isEmpty && cleared.last == 0)
        _ = try await index.store(makeInstance(sop: "1.3"), overwrite: false)
        let after = try #require(try await index.lastChange())
        #expect(after.seq > rest.last + 1, "sequence numbers are never reused")
    }

    @Test func findWithEveryConstraintKind() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let p1 = makeInstance(patient: "P1", study: "1.1", series: "1.1.1", sop: "1.1.1.1", patientName: "Doe^John",
                              studyDate: "20200115", modality: "CT", accession: "A1", manufacturer: "ACME")
        let p2 = makeInstance(patient: "P2", study: "2.1", series: "2.1.1", sop: "2.1.1.1", patientName: "Dupont^Élodie",
                              studyDate: "20210301", modality: "MR", accession: "A2", manufacturer: "Other")
        let p3 = makeInstance(patient: "P3", study: "3.1", series: "3.1.1", sop: "3.1.1.1", patientName: "Smith^[Jr]",
                              studyDate: "2019.12.31", modality: "CT", accession: "A3", manufacturer: "ACME")
        let p3b = makeInstance(patient: "P3", study: "3.1", series: "3.1.2", sop: "3.1.2.1", patientName: "Smith^[Jr]",
                               studyDate: "2019.12.31", modality: "US", accession: "A3", manufacturer: "GE")
        for i in [p1, p2, p3, p3b] { _ = try await index.store(i, overwrite: false) }

        func find(_ level: ResourceLevel, _ c: [DICOM.Tag: TagConstraint], caseSensitive: Bool = true,
                  since: Int = 0, limit: Int? = nil) async throws -> [String] {
            try await index.find(FindQuery(level: level, constraints: c, caseSensitive: caseSensitive,
                                           since: since, limit: limit))
        }
        let name = DICOM.Tag.patientName
        // Exact and case.
        #expect(try await find(.patient, [name: .equal("Doe^John")]) == [p1.identifiers.patient])
        #expect(try await find(.patient, [name: .equal("DOE^JOHN")]).isEmpty, "case-sensitive by default")
        #expect(try await find(.patient, [name: .equal("doe^john")], caseSensitive: false) == [p1.identifiers.patient])
        // Wildcards, accents folded when case-insensitive, GLOB brackets escaped.
        #expect(try await find(.patient, [name: .wildcard("D*")]) == [p1.identifiers.patient, p2.identifiers.patient])
        #expect(try await find(.patient, [name: .wildcard("dupont^elodi?")], caseSensitive: false) == [p2.identifiers.patient])
        #expect(try await find(.patient, [name: .wildcard("Smith^[Jr]")]) == [p3.identifiers.patient])
        #expect(try await find(.patient, [name: .wildcard("*")]).count == 3, "universal")
        #expect(try await find(.patient, [name: .equal("")]).count == 3, "empty is universal")
        // Case-insensitivity applies to PN only: a UID stays exact.
        #expect(try await find(.series, [.modality: .equal("ct")], caseSensitive: false).isEmpty)
        // Date ranges (old-style dates normalised), open ends.
        let studies = try await find(.study, [.studyDate: .range(lower: "20200101", upper: "20201231")])
        #expect(studies == [p1.identifiers.study])
        #expect(try await find(.study, [.studyDate: .range(lower: nil, upper: "20200115")])
                == [p1.identifiers.study, p3.identifiers.study])
        #expect(try await find(.study, [.studyDate: .range(lower: "2021", upper: nil)]) == [p2.identifiers.study])
        #expect(try await find(.study, [.studyDate: .equal("20191231")]) == [p3.identifiers.study])
        // Lists.
        #expect(try await find(.series, [.modality: .list(["MR", "US"])]) == [p2.identifiers.series, p3b.identifiers.series])
        // Constraints on parent levels.
        #expect(try await find(.series, [.modality: .equal("CT"), .patientID: .equal("P3")]) == [p3.identifiers.series])
        #expect(try await find(.instance, [.studyDate: .range(lower: "20190101", upper: "20201231"),
                                            .patientName: .wildcard("*ITH*")], caseSensitive: false)
                == [p3.identifiers.instance, p3b.identifiers.instance])
        #expect(try await find(.study, [DICOM.Tag(0x0008, 0x0050): .equal("A2")]) == [p2.identifiers.study])
        // A main tag without an indexed column (Manufacturer, SequenceName): filtered in Swift.
        #expect(try await find(.series, [DICOM.Tag(0x0008, 0x0070): .equal("ACME")]) == [p1.identifiers.series, p3.identifiers.series])
        #expect(try await find(.instance, [DICOM.Tag(0x0008, 0x0070): .wildcard("AC?E"), .modality: .equal("CT")],
                               since: 1, limit: 5) == [p3.identifiers.instance])
        // since / limit in SQL.
        #expect(try await find(.instance, [:], since: 1, limit: 2) == [p2.identifiers.instance, p3.identifiers.instance])
        #expect(try await find(.instance, [:], limit: 0).isEmpty)
        // ModalitiesInStudy: a study matches through any of its series, alone or beside other constraints (whichever
        // constraint then drives the query, the answer is the same).
        func withModalities(_ modalities: [String], _ c: [DICOM.Tag: TagConstraint] = [:], limit: Int? = nil) async throws -> [String] {
            try await index.find(FindQuery(level: .study, constraints: c, limit: limit, modalitiesInStudy: modalities))
        }
        #expect(try await withModalities(["US"]) == [p3.identifiers.study])
        #expect(try await withModalities(["CT"]) == [p1.identifiers.study, p3.identifiers.study])
        #expect(try await withModalities(["MR", "US"]) == [p2.identifiers.study, p3.identifiers.study])
        #expect(try await withModalities(["CT"], limit: 1) == [p1.identifiers.study])
        #expect(try await withModalities(["CT"], [.studyDate: .range(lower: "20190101", upper: "20191231")]) == [p3.identifiers.study])
        #expect(try await withModalities(["CT"], [name: .wildcard("*o*")]) == [p1.identifiers.study])
        #expect(try await withModalities(["PT"]).isEmpty)
        #expect(try await withModalities(["US"], [.studyDate: .range(lower: "2020", upper: nil)]).isEmpty)
        #expect(try await find(.series, [.modality: .equal("CT"), .studyDate: .range(lower: "2019", upper: nil),
                                          name: .wildcard("S*")]) == [p3.identifiers.series])
        // A tag the index cannot match is refused with a clear error.
        do {
            _ = try await find(.study, [.modality: .equal("CT")])
            Issue.record("a series tag was accepted at the study level")
        } catch let error as IndexError {
            #expect(error.code == .unsupportedConstraint)
        }
    }

    @Test func wildcardPrefixesBoundTheIndexRangeExactly() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        // Names around the prefix "MÜL": before it, equal to it, inside it, and just past it in byte order.
        let stored = ["MUL^A", "MÜK^Z", "MÜL", "MÜL^A", "MÜLLER^B", "MÜL\u{10FFFD}X", "MÜM^C", "MÜ", "NUL^D"]
        var ids: [String: String] = [:]
        for (i, name) in stored.enumerated() {
            let instance = makeInstance(patient: "W\(i)", study: "9.\(i)", series: "9.\(i).1", sop: "9.\(i).1.1",
                                        patientName: name)
            _ = try await index.store(instance, overwrite: false)
            ids[name] = instance.identifiers.patient
        }
        func names(_ pattern: String, insensitive: Bool = false) async throws -> Set<String> {
            let found = try await index.find(FindQuery(level: .patient, constraints: [.patientName: .wildcard(pattern)],
                                                       caseSensitive: !insensitive))
            return Set(found.compactMap { id in ids.first { $0.value == id }?.key })
        }
        #expect(try await names("MÜL*") == ["MÜL", "MÜL^A", "MÜLLER^B", "MÜL\u{10FFFD}X"])
        #expect(try await names("MÜL?*") == ["MÜL^A", "MÜLLER^B", "MÜL\u{10FFFD}X"])
        #expect(try await names("MÜL^?") == ["MÜL^A"])
        #expect(try await names("*^?") == ["MUL^A", "MÜK^Z", "MÜL^A", "MÜLLER^B", "MÜM^C", "NUL^D"])
        // The same patterns again, with other values bound to the kept statements.
        #expect(try await names("MÜ*") == ["MÜK^Z", "MÜL", "MÜL^A", "MÜLLER^B", "MÜL\u{10FFFD}X", "MÜM^C", "MÜ"])
        #expect(try await names("mül*", insensitive: true).isSuperset(of: ["MUL^A", "MÜL", "MÜLLER^B"]))
    }

    @Test func findDrivenByTheConstraintWithFewestCandidates() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        // Two patients named RARE with one study each; three studies of 2020 in all (one of a RARE patient).
        var n = 0
        func add(_ patient: String, _ name: String, _ date: String, studies: Int) async throws {
            for s in 0 ..< studies {
                n += 1
                _ = try await index.store(makeInstance(patient: patient, study: "9.\(n)", series: "9.\(n).1",
                                                       sop: "9.\(n).1.1", patientName: name,
                                                       studyDate: s == 0 ? date : "20100101"), overwrite: false)
            }
        }
        try await add("R1", "RARE^ONE", "20200101", studies: 1)
        try await add("R2", "RARE^TWO", "19990101", studies: 1)
        try await add("C1", "COMMON^ONE", "20200202", studies: 1)
        try await add("C2", "COMMON^TWO", "20200303", studies: 1)
        let query = FindQuery(level: .study, constraints: [.studyDate: .range(lower: "20200101", upper: "20201231"),
                                                           .patientName: .wildcard("RARE*")])
        let plan = try FindPlan(query)
        #expect(plan.indexed.map(\.depth) == [0, 1], "StudyDate first, then the patient's name one level up")
        func driver() async throws -> Int? {
            try await index.pool.read { db in try plan.strategy(db).driver }
        }
        // 2 RARE patients with one study each stand for 2 studies, fewer than the 3 studies of 2020, so the name drives
        // although it constrains the level above (a fixed guess of 4 studies per patient made the date drive).
        #expect(try await driver() == 1)
        #expect(try await index.find(query).count == 1)
        // Five more studies of RARE^TWO: the 2 RARE patients now stand for 7 studies, and the date drives.
        try await add("R2", "RARE^TWO", "19990101", studies: 5)
        #expect(try await driver() == 0)
        #expect(try await index.find(query).count == 1)
    }

    @Test func constraintsBesideTheDriverAreListedOnlyWhenTheirMatchesAreFew() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        var n = 0
        func add(_ patient: String, _ name: String, _ date: String, modality: String = "CT") async throws {
            n += 1
            _ = try await index.store(makeInstance(patient: patient, study: "7.\(n)", series: "7.\(n).1", sop: "7.\(n).1.1",
                                                   patientName: name, studyDate: date, modality: modality),
                                      overwrite: false)
        }
        // One RARE patient: 1 candidate study. 2020 has 3 studies, a few per candidate: the date is listed.
        try await add("R1", "RARE^ONE", "20200101")
        try await add("C1", "COMMON^1", "20200202", modality: "MR")
        try await add("C2", "COMMON^2", "20200303")
        let query = FindQuery(level: .study, constraints: [.studyDate: .range(lower: "20200101", upper: "20201231"),
                                                           .patientName: .wildcard("RARE*")],
                              modalitiesInStudy: ["CT"])
        let plan = try FindPlan(query)
        #expect(plan.indexed.map(\.depth) == [0, 1, 0], "StudyDate, the patient's name, then the modalities")
        func strategy() async throws -> FindPlan.Strategy {
            try await index.pool.read { db in try plan.strategy(db) }
        }
        #expect(try await strategy() == FindPlan.Strategy(driver: 1, listed: [0, 2]))
        // 17 more studies of 2020: 20 matches for the one candidate, past the 16 worth listing; the modality CT
        // (19 studies) is past it too. Both are now probed per candidate.
        for c in 3 ... 19 { try await add("C\(c)", "COMMON^\(c)", "20200404") }
        #expect(try await strategy() == FindPlan.Strategy(driver: 1, listed: []))
        // The answer is the same whichever way each constraint is checked.
        let expected = try await index.find(query)
        #expect(expected.count == 1)
        for listed in [[], [0], [2], [0, 2]] as [Set<Int>] {
            let (sql, arguments) = plan.sql(FindPlan.Strategy(driver: 1, listed: listed))
            let found = try await index.pool.read { db in try String.fetchAll(db, sql: sql, arguments: arguments) }
            #expect(found == expected, "listed: \(listed)")
        }
    }

    @Test func findStatementsArePreparedOnceAndOnlyForABoundedSetOfTexts() async throws {
        let shapes = StatementShapes(capacity: 2)
        #expect(shapes.admits("A") && shapes.admits("B") && shapes.admits("A"))
        #expect(!shapes.admits("C"), "a third text is past the capacity")
        #expect(shapes.admits("B"))
        // A kept statement runs again with other values and limits and answers for them, not for its first run.
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        for (n, name) in ["ANNA", "ANNE", "BOB"].enumerated() {
            _ = try await index.store(makeInstance(patient: "P\(n)", study: "6.\(n)", series: "6.\(n).1", sop: "6.\(n).1.1",
                                                   patientName: name), overwrite: false)
        }
        func names(_ pattern: String, limit: Int? = nil, since: Int = 0) async throws -> Int {
            try await index.find(FindQuery(level: .patient, constraints: [.patientName: .wildcard(pattern)],
                                           since: since, limit: limit)).count
        }
        #expect(try await names("AN*") == 2)
        #expect(try await names("B*") == 1)
        #expect(try await names("AN*", limit: 1) == 1)
        #expect(try await names("AN*", since: 1) == 1)
        #expect(try await names("*") == 3)
        #expect(try await names("AN*") == 2)
    }

    @Test func statisticsPerResource() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        _ = try await index.store(makeInstance(sop: "1", size: 100), overwrite: false)
        _ = try await index.store(makeInstance(sop: "2", size: 200), overwrite: false)
        let other = makeInstance(patient: "P9", study: "8", series: "8.1", sop: "3", size: 50)
        _ = try await index.store(other, overwrite: false)
        let all = try await index.statistics()
        #expect(all.patients == 2 && all.studies == 2 && all.series == 2 && all.instances == 3)
        #expect(all.diskSize == 350 && all.uncompressedSize == 700 && all.dicomDiskSize == 350)
        let ids = makeInstance(sop: "1").identifiers
        let patient = try #require(try await index.statistics(.patient, ids.patient))
        #expect(patient.patients == 1 && patient.studies == 1 && patient.series == 1 && patient.instances == 2)
        #expect(patient.diskSize == 300 && patient.dicomUncompressedSize == 600)
        let instance = try #require(try await index.statistics(.instance, ids.instance))
        #expect(instance.instances == 1 && instance.diskSize == 100)
        #expect(try await index.statistics(.series, "missing") == nil)
    }

    @Test func metadataProtectionAndGlobals() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let i = makeInstance(sop: "1")
        _ = try await index.store(i, overwrite: false)
        let meta = try await index.metadata(.instance, i.identifiers.instance)
        #expect(meta[.origin] == "Unknown" && meta[.indexInSeries] == "1")
        #expect(meta[.mainDicomTagsSignature] == MainDicomTags.signature(.instance))
        let seriesMeta = try await index.metadata(.series, i.identifiers.series)
        #expect(seriesMeta[.lastUpdate]?.count == 15)
        #expect(seriesMeta[.mainDicomTagsSignature]?.hasPrefix("0008,0021;0008,0031;0008,0060") == true)
        #expect(try await index.setMetadata(.instance, i.identifiers.instance, MetadataKind(rawValue: 1024), "custom"))
        #expect(try await index.metadata(.instance, i.identifiers.instance)[MetadataKind(rawValue: 1024)] == "custom")
        #expect(try await index.setMetadata(.instance, i.identifiers.instance, MetadataKind(rawValue: 1024), nil))
        #expect(try await index.metadata(.instance, i.identifiers.instance)[MetadataKind(rawValue: 1024)] == nil)
        #expect(try await !index.setMetadata(.instance, "missing", .origin, "x"))

        #expect(try await index.resource(.patient, i.identifiers.patient)?.isProtected == false)
        #expect(try await index.setProtected(i.identifiers.patient, true))
        #expect(try await index.resource(.patient, i.identifiers.patient)?.isProtected == true)
        #expect(try await !index.setProtected(i.identifiers.study, true), "only patients are protected")

        #expect(try await index.globalProperty("ServerId") == nil)
        try await index.setGlobalProperty("ServerId", "abc")
        #expect(try await index.globalProperty("ServerId") == "abc")
    }

    @Test func recyclingOrderFollowsLastUpdateAndSkipsProtected() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let a = makeInstance(patient: "A", study: "a", series: "a.1", sop: "a.1.1")
        let b = makeInstance(patient: "B", study: "b", series: "b.1", sop: "b.1.1")
        let c = makeInstance(patient: "C", study: "c", series: "c.1", sop: "c.1.1")
        for i in [a, b, c] { _ = try await index.store(i, overwrite: false) }
        #expect(try await index.oldestRecyclablePatient(excluding: nil) == a.identifiers.patient)
        // A new instance of A makes it the most recent.
        _ = try await index.store(makeInstance(patient: "A", study: "a", series: "a.1", sop: "a.1.2"), overwrite: false)
        #expect(try await index.oldestRecyclablePatient(excluding: nil) == b.identifiers.patient)
        #expect(try await index.oldestRecyclablePatient(excluding: b.identifiers.patient) == c.identifiers.patient)
        _ = try await index.setProtected(b.identifiers.patient, true)
        #expect(try await index.oldestRecyclablePatient(excluding: nil) == c.identifiers.patient)
        _ = try await index.setProtected(c.identifiers.patient, true)
        _ = try await index.setProtected(a.identifiers.patient, true)
        #expect(try await index.oldestRecyclablePatient(excluding: nil) == nil)
    }

    @Test func stability() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let i = makeInstance(sop: "1")
        _ = try await index.store(i, overwrite: false)
        #expect(try await index.markStable(olderThan: 3600).isEmpty, "too recent")
        #expect(try await index.resource(.series, i.identifiers.series)?.isStable == false)
        let marked = try await index.markStable(olderThan: 0)
        #expect(marked.map(\.level) == [.series, .study, .patient])
        #expect(try await index.resource(.series, i.identifiers.series)?.isStable == true)
        #expect(try await index.resource(.patient, i.identifiers.patient)?.isStable == true)
        #expect(try await index.markStable(olderThan: 0).isEmpty, "stable only once")
        let types = try await index.changes(since: 0, limit: 100).changes.suffix(3).map(\.type)
        #expect(types == [.stableSeries, .stableStudy, .stablePatient])
        // A new instance makes its series unstable again.
        _ = try await index.store(makeInstance(sop: "2"), overwrite: false)
        #expect(try await index.resource(.series, i.identifiers.series)?.isStable == false)
        #expect(try await index.markStable(olderThan: 0).count == 3)
    }

    @Test func concurrentStoresWithDuplicatesGiveExactCounts() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try open()
        let start = Date()
        // 8 tasks × 50 instances; tasks 2k and 2k+1 send the same 50 instances, so 200 distinct instances.
        let outcomes = try await withThrowingTaskGroup(of: (stored: Int, duplicates: Int).self) { group in
            for t in 0 ..< 8 {
                group.addTask {
                    var stored = 0, duplicates = 0
                    let pair = t / 2
                    for i in 0 ..< 50 {
                        let inst = makeInstance(patient: "P\(pair % 2)", study: "S\(pair)", series: "S\(pair).\(i % 5)",
                                                sop: "S\(pair).\(i % 5).\(i)")
                        switch try await index.store(inst, overwrite: false) {
                        case .stored: stored += 1
                        case .alreadyStored: duplicates += 1
                        case .overwritten: Issue.record("unexpected overwrite")
                        }
                    }
                    return (stored, duplicates)
                }
            }
            var total = (stored: 0, duplicates: 0)
            for try await r in group { total.stored += r.stored; total.duplicates += r.duplicates }
            return total
        }
        let elapsed = Date().timeIntervalSince(start)
        print("IndexTests: 400 concurrent stores in \(String(format: "%.3f", elapsed)) s "
              + "(\(Int(400 / elapsed)) instances/s, debug build)")
        #expect(outcomes.stored == 200 && outcomes.duplicates == 200)
        let stats = try await index.statistics()
        #expect(stats.patients == 2 && stats.studies == 4 && stats.series == 20 && stats.instances == 200)
        let changes = try await index.changes(since: 0, limit: 10_000).changes
        #expect(changes.filter { $0.type == .newInstance }.count == 200)
        #expect(changes.filter { $0.type == .newSeries }.count == 20)
        #expect(changes.filter { $0.type == .newPatient }.count == 2)
    }

    @Test func reopenKeepsDataAndRecordsSchemaVersion() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let i = makeInstance(sop: "1")
        do {
            let index = try open()
            #expect(try await index.store(i, overwrite: false) == .stored)
            try await index.setGlobalProperty("Custom", "kept")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/index.sqlite"))
        let reopened = try open()
        #expect(try await reopened.globalProperty("SchemaVersion") == String(SQLiteIndex.schemaVersion))
        #expect(try await reopened.globalProperty("Custom") == "kept")
        #expect(try await reopened.resource(.instance, i.identifiers.instance)?.mainTags[.sopInstanceUID] == "1")
        #expect(try await reopened.store(i, overwrite: false) == .alreadyStored)
        #expect(try await reopened.statistics().instances == 1)
    }

    @Test func mainTagsCodecRoundTripsAndRejectsTruncation() throws {
        let tags: MainTags = [.patientName: "Dupont^Élodie", .patientID: "", DICOM.Tag(0x0020, 0x0032): "1\\2\\3"]
        let blob = MainTagsCodec.encode(tags)
        #expect(try MainTagsCodec.decode(blob) == tags)
        #expect(throws: IndexError.self) { try MainTagsCodec.decode(blob.dropLast(2)) }
        // Single values found by scanning, as C-FIND answers read them.
        let bytes = [UInt8](blob)
        try MainTagsCodec.validate(bytes)
        #expect(MainTagsCodec.value(.patientName, in: bytes) == "Dupont^Élodie")
        #expect(MainTagsCodec.value(.patientID, in: bytes) == "")
        #expect(MainTagsCodec.value(DICOM.Tag(0x0020, 0x0032), in: bytes) == "1\\2\\3")
        #expect(MainTagsCodec.value(.studyDate, in: bytes) == nil, "absent, below the first tag stored")
        #expect(MainTagsCodec.value(DICOM.Tag(0x7FE0, 0x0010), in: bytes) == nil, "absent, past the last")
        #expect(MainTagsCodec.value(.patientName, in: []) == nil)
        #expect(throws: IndexError.self) { try MainTagsCodec.validate(Array(bytes.dropLast(2))) }
        #expect(throws: IndexError.self) { try MainTagsCodec.validate([2, 0, 0]) }
    }

    @Test func globMatchingInSwift() {
        func g(_ p: String, _ t: String) -> Bool { Matching.glob(Array(p.unicodeScalars), Array(t.unicodeScalars)) }
        #expect(g("a*c", "abbbc") && g("*", "") && g("a?c", "abc") && g("*b*", "abc"))
        #expect(!g("a?c", "ac") && !g("a*d", "abc") && !g("", "a"))
    }
}
