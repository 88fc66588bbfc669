@testable import DICOMNetwork
import DICOM
import Foundation
import Testing

/// The SCP driven by DCMTK's command line tools as real peers.
@Suite("SCP against DCMTK", .serialized)
struct DCMTKPeerTests {
    @Test("echoscu gets a successful C-ECHO")
    func echo() async throws {
        let server = try await startServer()
        defer { Task { await server.shutdown() } }
        let result = try await runPeer("echoscu", ["-aec", "PHAROS", "127.0.0.1", "\(server.port)"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("storescu sends several files in one association; the handler gets each data set",
          arguments: [
              ([String](), ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm"]),
              (["-xi"], ["CT_small.dcm", "MR_small.dcm"]),
              (["-xe"], ["CT_small.dcm"]),
              (["-xy"], ["SC_rgb_jpeg_dcmtk.dcm"]),
              (["-xx"], ["JPEG-lossy.dcm"]),
              (["-xr"], ["MR_small_RLE.dcm", "SC_rgb_rle.dcm"]),
              (["-xw"], ["JPEG2000.dcm"]),
          ])
    func store(options: [String], files: [String]) async throws {
        let store = MemoryStore()
        let server = try await startServer(store: store)
        defer { Task { await server.shutdown() } }
        let paths = try files.map(Corpus.path)
        let result = try await runPeer("storescu", options + ["-aec", "PHAROS", "127.0.0.1", "\(server.port)"] + paths)
        #expect(result.status == 0, "\(result.output)")
        let received = store.requests
        try #require(received.count == files.count, "\(result.output)")
        for (name, request) in zip(files, received) {
            let file = try DICOMFile.read(bytes: try Corpus.bytes(name), options: .headerOnly)
            #expect(request.sopInstanceUID == file.dataSet.string(.sopInstanceUID))
            #expect(request.association.callingAETitle == "STORESCU")
            // storescu re-encodes what it sends (group lengths, sequence lengths), so the comparison is element by
            // element; ClientTests checks byte equality with our own SCU, which sends the file's bytes unchanged.
            var received = try DataSet.decodeNetwork(request.dataSet, transferSyntax: request.transferSyntax)
            var expected = try DICOMFile.read(bytes: try Corpus.bytes(name)).dataSet
            // Group lengths and trailing padding are dropped by storescu; VRs differ where implicit VR sends none.
            let ignored = { (e: DataElement) in e.tag.isGroupLength || e.tag.group == 0x0002 || e.tag == .dataSetTrailingPadding }
            received.removeAll(where: ignored)
            expected.removeAll(where: ignored)
            let differing = Set(received.elements.map(\.tag) + expected.elements.map(\.tag))
                .filter { received[$0]?.value != expected[$0]?.value }.sorted()
            #expect(differing == [], "\(name): \(differing.map { "\($0) \(String(describing: received[$0]).prefix(120)) vs \(String(describing: expected[$0]).prefix(120))" })")
            // The Part 10 file built from what was received reads back as the same instance.
            let rebuilt = try DICOMFile.read(bytes: try request.part10())
            #expect(rebuilt.dataSet.string(.sopInstanceUID) == file.dataSet.string(.sopInstanceUID))
            #expect(rebuilt.transferSyntax.uid == request.transferSyntax)
        }
    }

    static let patients: [DataSet] = [
        DataSet([.string(.patientID, .LO, "P1"), .string(.patientName, .PN, "DOE^JOHN"),
                 .string(.studyInstanceUID, .UI, "1.2.3.1")]),
        DataSet([.string(.patientID, .LO, "P2"), .string(.patientName, .PN, "ROE^JANE"),
                 .string(.studyInstanceUID, .UI, "1.2.3.2")]),
        DataSet([.string(.patientID, .LO, "P2"), .string(.patientName, .PN, "ROE^JANE"),
                 .string(.studyInstanceUID, .UI, "1.2.3.3")]),
    ]

    @Test("findscu at patient, study and series level gets the handler's answers",
          arguments: [("-P", "PATIENT", "P1", 1), ("-S", "STUDY", "P2", 2), ("-S", "SERIES", "*", 3)])
    func find(model: String, level: String, patientID: String, expected: Int) async throws {
        let server = try await startServer(find: ListFind(records: Self.patients))
        defer { Task { await server.shutdown() } }
        let result = try await runPeer("findscu", [model, "-aec", "PHAROS", "-k", "QueryRetrieveLevel=\(level)",
                                                    "-k", "PatientID=\(patientID)", "-k", "PatientName",
                                                    "127.0.0.1", "\(server.port)"])
        #expect(result.status == 0, "\(result.output)")
        let responses = result.output.components(separatedBy: "Find Response:").count - 1
        #expect(responses == expected, "\(result.output)")
        #expect(result.output.contains(level))
    }

    @Test("getscu receives every instance as C-STORE sub-operations on its association")
    func get() async throws {
        let files = ["CT_small.dcm", "MR_small.dcm"]
        let server = try await startServer(retrieve: CorpusRetrieve(files: files, destination: nil))
        defer { Task { await server.shutdown() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("getscu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await runPeer("getscu", ["-S", "-aec", "PHAROS", "-k", "QueryRetrieveLevel=STUDY",
                                                   "-k", "StudyInstanceUID=1.2.3", "-od", folder.path,
                                                   "127.0.0.1", "\(server.port)"])
        #expect(result.status == 0, "\(result.output)")
        let received = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(received.count == files.count, "\(result.output)")
    }

    @Test("movescu sends the instances to a storescp destination; an unknown destination gets A801")
    func move() async throws {
        let files = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm"]
        let port = try freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storescp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storescp = Process()
        storescp.executableURL = URL(fileURLWithPath: "/usr/bin/storescp")
        storescp.arguments = ["-aet", "DEST", "+xa", "-od", folder.path, "\(port)"]
        try storescp.run()
        defer { kill(storescp.processIdentifier, SIGKILL); storescp.waitUntilExit() }
        try await waitForListener(port)

        let server = try await startServer(retrieve: CorpusRetrieve(
            files: files, destination: DICOMPeer(aeTitle: "DEST", host: "127.0.0.1", port: port)))
        defer { Task { await server.shutdown() } }
        let result = try await runPeer("movescu", ["-S", "-aec", "PHAROS", "-aem", "DEST",
                                                    "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3",
                                                    "127.0.0.1", "\(server.port)"])
        #expect(result.status == 0, "\(result.output)")
        let received = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(received.count == files.count, "\(result.output)")

        let unknown = try await runPeer("movescu", ["-v", "-S", "-aec", "PHAROS", "-aem", "NOWHERE",
                                                     "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3",
                                                     "127.0.0.1", "\(server.port)"])
        #expect(unknown.output.contains("MoveDestinationUnknown"),
                "\(unknown.output)")
    }

    @Test("20 concurrent storescu associations: every instance is stored exactly once")
    func concurrentStores() async throws {
        let store = MemoryStore()
        let server = try await startServer(store: store)
        defer { Task { await server.shutdown() } }
        let path = try Corpus.path("CT_small.dcm")
        let results = try await withThrowingTaskGroup(of: (status: Int32, output: String).self) { group in
            for _ in 0 ..< 20 {
                group.addTask {
                    try await runPeer("storescu", ["-aec", "PHAROS", "127.0.0.1", "\(server.port)", path, path])
                }
            }
            return try await group.reduce(into: [(status: Int32, output: String)]()) { $0.append($1) }
        }
        #expect(results.map(\.status) == [Int32](repeating: 0, count: 20),
                "\(results.filter { $0.status != 0 }.first?.output ?? "")")
        #expect(store.requests.count == 40)
    }

    @Test("Garbage, truncated and oversized PDUs end in A-ABORT or a close; the server keeps serving")
    func malformedInput() async throws {
        let server = try await startServer(artim: 2)
        defer { Task { await server.shutdown() } }
        let script = try Corpus.scriptPath("malformed_pdus.py")
        let result = try await runAsync("python3", [script, "127.0.0.1", "\(server.port)"])
        #expect(result.status == 0, "\(result.output)")
        let echo = try await runPeer("echoscu", ["-aec", "PHAROS", "127.0.0.1", "\(server.port)"])
        #expect(echo.status == 0, "\(echo.output)")
    }

    @Test("A C-CANCEL during a C-FIND ends it with status FE00 after the answers already sent (pynetdicom)")
    func cancelledFind() async throws {
        let answer = try await cancelling("find", PacedFind())
        // The first batch went out before the cancel; the next one is never sent.
        #expect(answer["pending"]?.integerValue == Int64(PacedFind.firstBatch), "\(answer)")
        #expect(answer["final"]?["status"]?.integerValue == 0xFE00, "\(answer)")
    }

    @Test("A C-CANCEL during a C-GET stops the sub-operations and ends with FE00 and their counts (pynetdicom)")
    func cancelledGet() async throws {
        let answer = try await cancelling("get", PacedRetrieve())
        let received = answer["received"]?.integerValue ?? -1
        // The cancel arrives while the first or the second sub-operation runs; the other four are never started.
        #expect((1 ... 2).contains(received), "\(answer)")
        #expect(answer["final"]?["status"]?.integerValue == 0xFE00, "\(answer)")
        #expect(answer["final"]?["completed"]?.integerValue == received, "\(answer)")
        #expect(answer["final"]?["remaining"]?.integerValue == Int64(PacedRetrieve.count) - received, "\(answer)")
    }

    /// Runs Support/cancel.py (`find` or `get`) against a server with `handler`; its JSON report.
    private func cancelling(_ mode: String, _ handler: some Sendable) async throws -> JSONValue {
        let server = try await startServer(find: handler as? any FindHandler, retrieve: handler as? any RetrieveHandler)
        defer { Task { await server.shutdown() } }
        // The python3 on PATH, where `make pydeps` installed pynetdicom (/usr/bin/python3 may lack it).
        let result = try await runAsync("env", ["python3", try Corpus.scriptPath("cancel.py"), mode, "127.0.0.1",
                                                "\(server.port)"], timeout: 120)
        #expect(result.status == 0, "\(result.output)")
        return try JSONValue.parse(Array(result.output.utf8))
    }

    @Test("A wrong called AE title is rejected when the policy checks it")
    func calledAETitleCheck() async throws {
        let configuration = DICOMServerConfiguration(host: "127.0.0.1", port: 0,
                                                policy: AcceptancePolicy(aeTitle: "PHAROS", checkCalledAETitle: true))
        let server = try await DICOMServer.start(configuration: configuration, handlers: ServiceHandlers())
        defer { Task { await server.shutdown() } }
        let wrong = try await runPeer("echoscu", ["-aec", "OTHER", "127.0.0.1", "\(server.port)"])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("Rejected") || wrong.output.contains("rejected"), "\(wrong.output)")
        let right = try await runPeer("echoscu", ["-aec", "PHAROS", "127.0.0.1", "\(server.port)"])
        #expect(right.status == 0, "\(right.output)")
    }
}

extension Corpus {
    /// A helper script kept beside the tests.
    static func scriptPath(_ name: String) throws -> String {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("Support/\(name)").path
    }
}

/// Answers one batch of studies, pauses long enough for the peer's C-CANCEL to arrive, then would answer four more.
struct PacedFind: FindHandler {
    static let firstBatch = 64

    func find(_ request: FindRequest) async throws -> AsyncThrowingStream<DataSet, Error> {
        func study(_ n: Int) -> DataSet {
            var answer = DataSet()
            answer.set(.string(Tag(0x0008, 0x0052), .CS, "STUDY"))
            answer.set(.string(.studyInstanceUID, .UI, "1.2.826.0.1.3680043.2.1143.\(n)"))
            return answer
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                for n in 0 ..< Self.firstBatch { continuation.yield(study(n)) }
                try? await Task.sleep(for: .seconds(2))
                for n in Self.firstBatch ..< 5 * Self.firstBatch { continuation.yield(study(n)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}


/// Six copies of a CT slice (distinct SOP instance UIDs) as C-GET sub-operations, each loaded half a second late:
/// time for a C-CANCEL to arrive between them.
struct PacedRetrieve: RetrieveHandler {
    static let count = 6

    func retrieve(_ request: RetrieveRequest) async throws -> [RetrieveItem] {
        let bytes = try Corpus.bytes("CT_small.dcm")
        let file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        return (0 ..< Self.count).map { n in
            RetrieveItem(sopClassUID: file.dataSet.string(.sopClassUID) ?? "",
                         sopInstanceUID: "1.2.826.0.1.3680043.2.1143.9.\(n)", transferSyntax: file.transferSyntax.uid,
                         load: {
                             try await Task.sleep(for: .milliseconds(500))
                             return bytes
                         })
        }
    }

    func destination(forAETitle aeTitle: String, request: RetrieveRequest) async -> DICOMPeer? { nil }
}
