import DICOM
@testable import DICOMNetwork
import Foundation
import Testing

/// Where the test data lives, found from this file's path.
enum Corpus {
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestData/corpus/pydicom")

    /// The path of a corpus file; fails the test (never silently passes) when the corpus is missing.
    static func path(_ name: String) throws -> String {
        let url = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("Test corpus file \(url.path) is missing: run `make testdata`")
            throw CancellationError()
        }
        return url.path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }

    /// The data set bytes of a Part 10 file (after its meta group), as a peer sends them.
    static func dataSetBytes(_ name: String) throws -> [UInt8] {
        let bytes = try self.bytes(name)
        return Array(bytes[ClientAssociation.dataSetOffset(bytes)...])
    }
}

/// Runs a command line tool and answers its exit status and output.
@discardableResult
func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, output: String) {
    let process = Process()
    // DCMTK's tools live in /usr/bin; pynetdicom installs apps of the same names earlier on some PATHs.
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/\(tool)") {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Runs a tool on a thread of its own: on Linux the Swift concurrency pool shares libdispatch's threads, so
/// blocking dispatch workers while tools run would starve the server's tasks.
func runAsync(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) async throws
    -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try run(tool, arguments, timeout: timeout)) } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}

/// Runs a DCMTK network tool against the server under test. The parallel test run can keep the server's tasks
/// waiting behind CPU-bound tests on a 2-core machine, so the tool waits two minutes for the association answer
/// (DCMTK's default is 30 seconds) rather than failing a test that is merely slow.
func runPeer(_ tool: String, _ arguments: [String], timeout: TimeInterval = 300) async throws
    -> (status: Int32, output: String) {
    try await runAsync(tool, ["-ta", "120"] + arguments, timeout: timeout)
}

/// A store handler keeping what it receives in memory.
final class MemoryStore: StoreHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [StoreRequest] = []
    var requests: [StoreRequest] { lock.withLock { _requests } }

    func store(_ request: StoreRequest) async -> DIMSEStatus {
        lock.withLock { _requests.append(request) }
        return .success
    }
}

/// A find handler answering from a fixed list, filtered by PatientID when the identifier has one.
struct ListFind: FindHandler {
    let records: [DataSet]

    func find(_ request: FindRequest) async throws -> AsyncThrowingStream<DataSet, Error> {
        let wanted = request.identifier.string(.patientID) ?? ""
        let matches = records.filter { wanted.isEmpty || wanted == "*" || $0.string(.patientID) == wanted }
        return AsyncThrowingStream { continuation in
            for var match in matches {
                match.set(.string(Tag(0x0008, 0x0052), .CS, request.level))
                continuation.yield(match)
            }
            continuation.finish()
        }
    }
}

/// A retrieve handler answering corpus files, with one known move destination.
struct CorpusRetrieve: RetrieveHandler {
    let files: [String]
    let destination: DICOMPeer?

    func retrieve(_ request: RetrieveRequest) async throws -> [RetrieveItem] {
        try files.map { name in
            let bytes = try Corpus.bytes(name)
            let file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
            return RetrieveItem(sopClassUID: file.dataSet.string(.sopClassUID) ?? "",
                                sopInstanceUID: file.dataSet.string(.sopInstanceUID) ?? "",
                                transferSyntax: file.transferSyntax.uid, load: { bytes })
        }
    }

    func destination(forAETitle aeTitle: String, request: RetrieveRequest) async -> DICOMPeer? {
        destination?.aeTitle == aeTitle ? destination : nil
    }
}

/// Starts a server on a free loopback port with the given handlers.
func startServer(store: (any StoreHandler)? = nil, find: (any FindHandler)? = nil,
                 retrieve: (any RetrieveHandler)? = nil, maximumAssociations: Int = 64,
                 artim: Int64 = 900) async throws -> DICOMServer {
    // Long timers unless a test asks for a short one: the parallel test run can starve the handlers' tasks.
    let configuration = DICOMServerConfiguration(host: "127.0.0.1", port: 0,
                                            policy: AcceptancePolicy(aeTitle: "PHAROS"),
                                            maximumAssociations: maximumAssociations,
                                            artimTimeout: .seconds(artim), idleTimeout: .seconds(900))
    return try await DICOMServer.start(configuration: configuration,
                                       handlers: ServiceHandlers(store: store, find: find, retrieve: retrieve))
}

/// A free TCP port (bound then released), for peers such as storescp that need one up front.
func freePort() throws -> Int {
    let result = try run("python3", ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
    guard let port = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw CancellationError()
    }
    return port
}

/// Waits until something listens on `port` (a peer process just started), for at most 10 seconds.
func waitForListener(_ port: Int) async throws {
    let script = """
    import socket, sys, time
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', \(port)), timeout=1).close(); sys.exit(0)
        except OSError:
            time.sleep(0.1)
    sys.exit(1)
    """
    let result = try await runAsync("python3", ["-c", script])
    #expect(result.status == 0, "nothing listens on port \(port)")
}
