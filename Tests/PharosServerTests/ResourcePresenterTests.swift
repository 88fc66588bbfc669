import DICOM
import Foundation
import Logging
import PharosIndex
import PharosStorage
import Testing
@testable import PharosServer

/// The expanded resources are built with their members already in the order the JSON writer sorts them to, so
/// the writer's sort is skipped; a member appended out of order would only cost time, which this test catches.
@Suite struct ResourcePresenterTests {
    @Test func membersAreBuiltInKeyOrder() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-presenter-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = ServerConfiguration()
        configuration.storageDirectory = dir + "/storage"
        configuration.indexDirectory = dir + "/index"
        let index = try SQLiteIndex(directory: configuration.indexDirectory)
        let storage = try FileSystemStorageArea(root: configuration.storageDirectory, syncOnWrite: false)
        let services = Services.make(index: index, storage: storage, configuration: configuration,
                                     logger: Logger(label: "ResourcePresenterTests"), monitorStability: false)
        let stored = try await services.ingest.store(try RESTTests.file("CT_small.dcm"),
                                                     origin: .rest(remoteIP: nil, username: nil))
        let presenter = ResourcePresenter(index: index)
        let ids = stored.identifiers
        for (level, id) in [(ResourceLevel.patient, ids.patient), (.study, ids.study), (.series, ids.series),
                            (.instance, ids.instance)] {
            for format in [TagFormat.human, .short, .full] {
                let record = try await presenter.record(level, id)
                guard case .object(let object) = try await presenter.json(record, format: format) else {
                    Issue.record("\(level) is not an object")
                    continue
                }
                #expect(object.keys == object.sortedByKey().keys, "\(level) \(format)")
                #expect(object["Type"]?.stringValue == level.name)
                guard case .object(let tags) = object["MainDicomTags"] else {
                    Issue.record("\(level) has no MainDicomTags object")
                    continue
                }
                #expect(!tags.isEmpty && tags.keys == tags.sortedByKey().keys, "\(level) \(format) main tags")
                // Listings write the same text without building the tree.
                let streamed = try await presenter.expandedJSON(level, [id], format: format)
                #expect(streamed == (try await presenter.expand(level, [id], format: format).serializedBytes(.orthanc)),
                        "\(level) \(format) streamed")
            }
        }
    }

    @Test func longListsWrittenInChunksEqualTheWholeAnswer() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-chunks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let index = try SQLiteIndex(directory: dir)
        // 600 series of 3 studies: past the threshold, so the answer is read and written in chunks.
        for n in 0 ..< 600 {
            var instance = NewInstance(
                identifiers: ResourceIdentifiers(patientID: "P\(n % 7)", studyInstanceUID: "1.2.\(n % 3)",
                                                 seriesInstanceUID: "1.2.\(n % 3).\(n)", sopInstanceUID: "1.2.3.\(n)"),
                patientTags: [.patientID: "P\(n % 7)"], studyTags: [.studyInstanceUID: "1.2.\(n % 3)"],
                seriesTags: [.seriesInstanceUID: "1.2.\(n % 3).\(n)", .modality: n % 2 == 0 ? "CT" : "MR"],
                instanceTags: [.sopInstanceUID: "1.2.3.\(n)"], attachments: [], metadata: [:],
                expectedInstancesInSeries: nil, header: nil)
            instance.metadata[.indexInSeries] = "1"
            _ = try await index.store(instance, overwrite: false)
        }
        let presenter = ResourcePresenter(index: index)
        let ids = try await index.list(.series, since: 0, limit: nil)
        #expect(ids.count == 600 && ResourcePresenter.chunkCount(ids.count) == min(4, ProcessInfo.processInfo.activeProcessorCount))
        for format in [TagFormat.human, .short, .full] {
            let whole = try await presenter.expand(.series, ids, format: format).serializedBytes(.orthanc)
            #expect(try await presenter.expandedJSON(.series, ids, format: format) == whole)
        }
    }

    @Test func seriesStatusFollowsTheExpectedCountAndTheInstancesIndexes() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-status-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let index = try SQLiteIndex(directory: dir)
        var n = 0
        func add(_ series: String, expected: Int?, indexInSeries: Int?) async throws -> String {
            n += 1
            var instance = NewInstance(
                identifiers: ResourceIdentifiers(patientID: "P", studyInstanceUID: "1.9", seriesInstanceUID: series,
                                                 sopInstanceUID: "\(series).\(n)"),
                patientTags: [.patientID: "P"], studyTags: [.studyInstanceUID: "1.9"],
                seriesTags: [.seriesInstanceUID: series, .modality: "CT"], instanceTags: [.sopInstanceUID: "\(series).\(n)"],
                attachments: [], metadata: [:], expectedInstancesInSeries: expected, header: nil)
            if let indexInSeries { instance.metadata[.indexInSeries] = String(indexInSeries) }
            _ = try await index.store(instance, overwrite: false)
            return instance.identifiers.series
        }
        let presenter = ResourcePresenter(index: index)
        func status(_ id: String) async throws -> String? {
            let one = try await presenter.json(try await presenter.record(.series, id), format: .human)["Status"]?.stringValue
            // A listing computes it the same way.
            let listed = try JSONValue.parse(String(decoding: try await presenter.expandedJSON(.series, [id], format: .human),
                                                    as: UTF8.self))
            #expect(listed[0]?["Status"]?.stringValue == one)
            return one
        }
        var a = try await add("1.9.1", expected: 3, indexInSeries: 1)
        a = try await add("1.9.1", expected: 3, indexInSeries: 2)
        #expect(try await status(a) == "Missing")
        _ = try await add("1.9.1", expected: 3, indexInSeries: 3)
        #expect(try await status(a) == "Complete")
        var b = try await add("1.9.2", expected: 2, indexInSeries: 1)
        b = try await add("1.9.2", expected: 2, indexInSeries: 1)
        #expect(try await status(b) == "Inconsistent")
        let c = try await add("1.9.3", expected: 2, indexInSeries: nil)
        #expect(try await status(c) == "Unknown")
        let d = try await add("1.9.4", expected: nil, indexInSeries: 1)
        #expect(try await status(d) == "Unknown")
        let e = try await add("1.9.5", expected: 2, indexInSeries: 5)
        #expect(try await status(e) == "Inconsistent")
    }

    @Test func mainTagsOutsideTheKnownSetAreStillRenderedInKeyOrder() throws {
        let known: MainTags = [.patientName: "DOE^JOHN", .patientID: "P1", .studyDate: "20200101"]
        var mixed = known
        mixed[Tag(0x0008, 0x0016)] = "1.2.840.10008.5.1.4.1.1.2"
        mixed[Tag(0x0009, 0x0010)] = "private"
        for (tags, count) in [(known, 3), (mixed, 5)] {
            guard case .object(let object) = TagFormat.human.render(tags) else {
                Issue.record("not an object")
                continue
            }
            #expect(object.count == count)
            #expect(object.keys == object.sortedByKey().keys)
            #expect(object["PatientName"]?.stringValue == "DOE^JOHN")
        }
    }
}
