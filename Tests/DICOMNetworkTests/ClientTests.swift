@testable import DICOMNetwork
import DICOM
import Foundation
import Testing

/// The SCU (`DICOMClient`) against our own SCP and against DCMTK's storescp.
@Suite("SCU", .serialized)
struct ClientTests {
    static let uncompressed = [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
    /// Generous: in the whole parallel test run, CPU-bound suites starve these tasks for over three minutes, and a
    /// timer that fires meanwhile closes the association (these tests are not about timeouts).
    static let timeoutSeconds: Int64 = 900

    @Test("C-ECHO and C-STORE of several files in one association to our SCP; bytes arrive unchanged")
    func echoAndStore() async throws {
        let store = MemoryStore()
        let server = try await startServer(store: store)
        defer { Task { await server.shutdown() } }
        let client = DICOMClient(callingAETitle: "SCU", calledAETitle: "PHAROS", host: "127.0.0.1", port: server.port,
                                 dimseTimeout: .seconds(Self.timeoutSeconds))
        let names = ["CT_small.dcm", "MR_small_RLE.dcm", "JPEG2000.dcm"]
        let files = try names.map(Corpus.bytes)
        let syntaxes = try files.map { try DICOMFile.read(bytes: $0, options: .headerOnly) }
        let contexts = [(SOPClass.verification, Self.uncompressed)]
            + syntaxes.map { ($0.dataSet.string(.sopClassUID) ?? "", [$0.transferSyntax.uid]) }
        let statuses = try await client.withAssociation(proposing: contexts) { association in
            var statuses = [try await association.echo()]
            for file in files { statuses.append(try await association.store(part10: file)) }
            return statuses
        }
        #expect(statuses == [DIMSEStatus](repeating: .success, count: 4))
        #expect(store.requests.map(\.association.callingAETitle) == ["SCU", "SCU", "SCU"])
        for (name, request) in zip(names, store.requests) {
            #expect(request.dataSet == (try Corpus.dataSetBytes(name)), "\(name)")
        }
    }

    @Test("C-STORE to DCMTK storescp")
    func storeToStorescp() async throws {
        let port = try freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storescp = Process()
        storescp.executableURL = URL(fileURLWithPath: "/usr/bin/storescp")
        storescp.arguments = ["-aet", "DEST", "+xa", "-od", folder.path, "\(port)"]
        try storescp.run()
        defer { kill(storescp.processIdentifier, SIGKILL); storescp.waitUntilExit() }
        try await waitForListener(port)
        let client = DICOMClient(callingAETitle: "SCU", calledAETitle: "DEST", host: "127.0.0.1", port: port,
                                 dimseTimeout: .seconds(Self.timeoutSeconds))
        let bytes = try Corpus.bytes("CT_small.dcm")
        let status = try await client.withAssociation(
            proposing: [(SOPClass.verification, Self.uncompressed), ("1.2.840.10008.5.1.4.1.1.2", Self.uncompressed)]
        ) { association in
            try await association.echo()
            return try await association.store(part10: bytes)
        }
        #expect(status == .success)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)
    }
}

extension ClientTests {
    @Test("C-FIND, C-GET and C-MOVE from our SCU to our SCP")
    func queryRetrieve() async throws {
        let store = MemoryStore()
        let files = ["CT_small.dcm", "MR_small.dcm"]
        let destination = try await startServer(store: store)
        defer { Task { await destination.shutdown() } }
        let server = try await startServer(find: ListFind(records: DCMTKPeerTests.patients),
                                           retrieve: CorpusRetrieve(files: files, destination: DICOMPeer(
                                               aeTitle: "DEST", host: "127.0.0.1", port: destination.port)))
        defer { Task { await server.shutdown() } }
        let client = DICOMClient(callingAETitle: "SCU", calledAETitle: "PHAROS", host: "127.0.0.1", port: server.port,
                                 dimseTimeout: .seconds(Self.timeoutSeconds))
        let storageClasses = ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4"]
        let contexts = [(SOPClass.studyRootFind, Self.uncompressed), (SOPClass.studyRootMove, Self.uncompressed),
                        (SOPClass.studyRootGet, Self.uncompressed)]
            + storageClasses.map { ($0, Self.uncompressed) }
        let got = MemoryStore()
        let (answers, move, get) = try await client.withAssociation(
            proposing: contexts,
            roleSelections: storageClasses.map { RoleSelection(sopClassUID: $0, scuRole: false, scpRole: true) }
        ) { association in
            var query = DataSet()
            query.set(.string(Tag(0x0008, 0x0052), .CS, "STUDY"))
            query.set(.string(.patientID, .LO, "P2"))
            let answers = try await association.find(identifier: query)
            let move = try await association.move(identifier: query, destination: "DEST")
            let get = try await association.get(identifier: query, handler: got)
            return (answers, move, get)
        }
        #expect(answers.count == 2)
        #expect(answers.allSatisfy { $0.string(.patientID) == "P2" })
        #expect(move.status == .success && move.counts.completed == 2)
        #expect(store.requests.count == 2)
        #expect(store.requests.first?.moveOriginatorAETitle == "SCU")
        #expect(get.status == .success && get.counts.completed == 2)
        #expect(got.requests.map(\.dataSet) == (try files.map(Corpus.dataSetBytes)))
    }
}
