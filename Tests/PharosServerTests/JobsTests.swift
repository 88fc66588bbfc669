import DICOM
import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import PharosServer

/// The jobs engine: concurrency limit, priority, cancellation and history, with jobs held open by gates.
@Suite struct JobsTests {
    /// A gate a job waits on until the test opens it.
    final class Gate: Sendable {
        private let waiting = NIOLockedValueBox<[CheckedContinuation<Void, Never>]>([])
        private let open = NIOLockedValueBox(false)

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = open.withLockedValue { isOpen in
                    if !isOpen { waiting.withLockedValue { $0.append(continuation) } }
                    return isOpen
                }
                if resumeNow { continuation.resume() }
            }
        }

        func release() {
            let resumed = open.withLockedValue { isOpen in
                isOpen = true
                return waiting.withLockedValue { list in defer { list = [] }; return list }
            }
            for continuation in resumed { continuation.resume() }
        }
    }

    private func finished(_ jobs: Jobs, _ id: String) async throws -> Jobs.Job {
        for _ in 0 ..< 500 {
            if let job = await jobs.job(id), job.state == .success || job.state == .failure { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test func oneAtATimeByPriorityThenOrder() async throws {
        let jobs = Jobs(concurrentJobs: 1, historySize: 10)
        let gate = Gate()
        let ran = NIOLockedValueBox<[String]>([])
        let first = await jobs.submit(type: "Test", content: nil) {
            await gate.wait()
            ran.withLockedValue { $0.append("first") }
            return "done"
        }
        let low = await jobs.submit(type: "Test", priority: 0, content: nil) {
            ran.withLockedValue { $0.append("low") }
            return nil
        }
        let high = await jobs.submit(type: "Test", priority: 5, content: nil) {
            ran.withLockedValue { $0.append("high") }
            return nil
        }
        #expect(await jobs.job(first)?.state == .running)
        #expect(await jobs.job(low)?.state == .pending)
        #expect(await jobs.job(high)?.state == .pending)
        gate.release()
        _ = try await finished(jobs, low)
        #expect(ran.withLockedValue { $0 } == ["first", "high", "low"])
        let done = try await finished(jobs, first)
        #expect(done.state == .success && done.content == "done")
        let json = Jobs.json(done)
        #expect(json["State"] == "Success" && json["Progress"] == 100 && json["ErrorCode"] == 0)
        #expect(json["CompletionTime"]?.stringValue?.count == 22)
    }

    @Test func canceledJobsFailAndNeverRun() async throws {
        let jobs = Jobs(concurrentJobs: 1, historySize: 10)
        let gate = Gate()
        let ran = NIOLockedValueBox<[String]>([])
        let running = await jobs.submit(type: "Test", content: nil) {
            await gate.wait()
            return "late"
        }
        let pending = await jobs.submit(type: "Test", content: "planned") {
            ran.withLockedValue { $0.append("pending") }
            return nil
        }
        let next = await jobs.submit(type: "Test", content: nil) {
            ran.withLockedValue { $0.append("next") }
            return nil
        }
        #expect(await jobs.cancel(running))
        #expect(await jobs.cancel(pending))
        #expect(await !jobs.cancel("unknown"))
        // The canceled work has not returned: it still holds the only slot, so the next job waits.
        #expect(await jobs.job(running)?.state == .running)
        #expect(await jobs.job(next)?.state == .pending)
        gate.release()
        for id in [running, pending] {
            let job = try await finished(jobs, id)
            #expect(job.state == .failure && job.error?.code == .canceledJob)
            #expect(Jobs.json(job)["ErrorCode"] == 37)
        }
        #expect(try await finished(jobs, next).state == .success)
        // The canceled job's late answer did not make it a success, and the canceled pending job never ran.
        #expect(ran.withLockedValue { $0 } == ["next"])
        #expect(await jobs.job(pending)?.content == "planned")
    }

    @Test func historyKeepsTheJobsThatFinishedLast() async throws {
        let jobs = Jobs(concurrentJobs: 2, historySize: 1)
        let gate = Gate()
        let long = await jobs.submit(type: "Test", content: nil) {
            await gate.wait()
            return "long"
        }
        let short = await jobs.submit(type: "Test", content: nil) { "short" }
        _ = try await finished(jobs, short)
        gate.release()
        _ = try await finished(jobs, long)
        #expect(await jobs.all().map(\.id) == [long])
    }

    @Test func outputFilesLastAsLongAsTheirJob() async throws {
        let jobs = Jobs(concurrentJobs: 1, historySize: 1)
        func archive() async throws -> (id: String, path: String) {
            let output = JobOutput(contentType: "application/zip", filename: "archive.zip")
            let id = await jobs.submitWithOutputs(type: "Archive", content: nil) {
                try await output.write { sink in try await sink([1, 2, 3]) }
                return Jobs.Outcome(content: nil, outputs: ["archive": output])
            }
            _ = try await finished(jobs, id)
            return (id, output.path)
        }
        let first = try await archive()
        #expect(FileManager.default.contents(atPath: first.path) == Data([1, 2, 3]))
        // The next job pushes the first out of the history of one, and its file with it.
        let second = try await archive()
        #expect(await jobs.job(first.id) == nil)
        #expect(!FileManager.default.fileExists(atPath: first.path))
        #expect(FileManager.default.fileExists(atPath: second.path))
        await jobs.shutdown()
        #expect(!FileManager.default.fileExists(atPath: second.path))
    }

    @Test func shutdownStopsEveryJob() async throws {
        let jobs = Jobs(concurrentJobs: 1, historySize: 10)
        let gate = Gate()
        let running = await jobs.submit(type: "Test", content: nil) {
            await gate.wait()
            return nil
        }
        let pending = await jobs.submit(type: "Test", content: nil) { nil }
        await jobs.shutdown()
        for id in [running, pending] {
            #expect(await jobs.job(id)?.state == .failure)
        }
        gate.release()
    }

    @Test func failuresCarryOrthancsErrorAndHistoryIsBounded() async throws {
        let jobs = Jobs(concurrentJobs: 2, historySize: 2)
        let failing = await jobs.submit(type: "Test", content: nil) {
            throw RESTError(.badRequest, "no such thing")
        }
        let failed = try await finished(jobs, failing)
        #expect(Jobs.json(failed)["ErrorCode"] == 8 && Jobs.json(failed)["ErrorDetails"] == "no such thing")
        var ids = [failing]
        for _ in 0 ..< 3 {
            let id = await jobs.submit(type: "Test", content: nil) { nil }
            _ = try await finished(jobs, id)
            ids.append(id)
        }
        #expect(await jobs.all().map(\.id) == Array(ids.suffix(2)))
    }
}
