@testable import DICOMNetwork
import DICOM
import Foundation
import Testing

/// Counts instances and bytes, nothing else: the SCP's own cost is what is measured.
final class CountingStore: StoreHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (instances: 0, bytes: 0)
    var totals: (instances: Int, bytes: Int) { lock.withLock { counts } }
    func store(_ request: StoreRequest) async -> DIMSEStatus {
        lock.withLock { counts.instances += 1; counts.bytes += request.dataSet.count }
        return .success
    }
}

/// A rough C-STORE throughput figure, run only when PHAROS_BENCH=1 (performance is never asserted).
@Suite("C-STORE throughput", .enabled(if: ProcessInfo.processInfo.environment["PHAROS_BENCH"] == "1"))
struct ThroughputTests {
    @Test("storescu of many instances in one association")
    func storeThroughput() async throws {
        let counter = CountingStore()
        let server = try await startServer(store: counter)
        defer { Task { await server.shutdown() } }
        let path = try Corpus.path("CT_small.dcm")
        let count = 500
        let start = Date()
        let result = try await runPeer("storescu", ["-aec", "PHAROS", "127.0.0.1", "\(server.port)"]
                                        + [String](repeating: path, count: count), timeout: 600)
        let seconds = Date().timeIntervalSince(start)
        #expect(result.status == 0)
        let totals = counter.totals
        #expect(totals.instances == count)
        print("C-STORE: \(totals.instances) instances, \(totals.bytes) bytes in \(seconds) s: "
              + "\(Double(totals.instances) / seconds) instances/s, \(Double(totals.bytes) / seconds / 1_000_000) MB/s")
    }
}

extension ThroughputTests {
    @Test("our SCU to our SCP, many instances in one association")
    func clientThroughput() async throws {
        let counter = CountingStore()
        let server = try await startServer(store: counter)
        defer { Task { await server.shutdown() } }
        let bytes = try Corpus.bytes("CT_small.dcm")
        let client = DICOMClient(callingAETitle: "SCU", calledAETitle: "PHAROS", host: "127.0.0.1", port: server.port)
        let count = 500
        let start = Date()
        try await client.withAssociation(proposing: [("1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1"])]) { association in
            for _ in 0 ..< count { _ = try await association.store(part10: bytes) }
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(counter.totals.instances == count)
        print("SCU C-STORE: \(count) instances in \(seconds) s: \(Double(count) / seconds) instances/s, "
              + "\(Double(counter.totals.bytes) / seconds / 1_000_000) MB/s")
    }
}
