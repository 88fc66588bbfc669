import DICOM
import Foundation

/// Work that a REST call asked to run in the background (`"Asynchronous": true`), followed at `/jobs/{id}` in
/// Orthanc's shape. At most `concurrentJobs` run at once (Orthanc's `ConcurrentJobs`), the others wait in order of
/// priority then submission; the last `historySize` finished jobs stay listed (`JobsHistorySize`). Jobs live in
/// memory: a restart forgets them.
actor Jobs {
    enum State: String, Sendable {
        case pending = "Pending", running = "Running", success = "Success", failure = "Failure"
    }

    /// What a finished job gives: its content, and files to download (`/jobs/{id}/{key}`).
    struct Outcome: Sendable {
        var content: JSONValue
        var outputs: [String: JobOutput] = [:]
    }

    /// One job: what it is, where it stands, what it gave.
    struct Job: Sendable {
        let id: String
        let type: String
        let priority: Int
        let creation: Date
        var started: Date?
        var completion: Date?
        var state: State = .pending
        /// What the job reports: its answer once done, else what is known of it when submitted.
        var content: JSONValue
        var error: RESTError?
        var task: Task<Void, Never>?
        /// Cancellation was asked while the work ran: it ends as canceled whatever it answers.
        var canceled = false
        var outputs: [String: JobOutput] = [:]
        let work: @Sendable () async throws -> Outcome
    }

    let concurrentJobs: Int
    let historySize: Int
    private var jobs: [String: Job] = [:]
    /// Submission order, for listing and for choosing the next job to run.
    private var order: [String] = []

    init(concurrentJobs: Int = 2, historySize: Int = 10) {
        self.concurrentJobs = max(1, concurrentJobs)
        self.historySize = max(0, historySize)
    }

    /// Queues `work` and answers the job's ID; `content` is shown until the work answers its own.
    func submit(type: String, priority: Int = 0, content: JSONValue,
                work: @escaping @Sendable () async throws -> JSONValue) -> String {
        submitWithOutputs(type: type, priority: priority, content: content) { Outcome(content: try await work()) }
    }

    /// Queues `work`, which may leave files to download; answers the job's ID.
    func submitWithOutputs(type: String, priority: Int = 0, content: JSONValue,
                           work: @escaping @Sendable () async throws -> Outcome) -> String {
        let id = UUID().uuidString.lowercased()
        jobs[id] = Job(id: id, type: type, priority: priority, creation: Date(), content: content, work: work)
        order.append(id)
        startWaiting()
        return id
    }

    /// Every job still known, in submission order.
    func all() -> [Job] { order.compactMap { jobs[$0] } }

    func job(_ id: String) -> Job? { jobs[id] }

    /// Stops a pending or running job: it ends as a failure ("canceled"). A running job keeps its place among the
    /// running ones until its work returns, so no more than `concurrentJobs` ever run. False when the job is
    /// unknown; a finished job is left as it is.
    func cancel(_ id: String) -> Bool {
        guard var job = jobs[id] else { return false }
        switch job.state {
        case .pending:
            job.state = .failure
            job.error = RESTError(.canceledJob)
            job.completion = Date()
            jobs[id] = job
            finished()
        case .running:
            job.canceled = true
            job.task?.cancel()
            jobs[id] = job
        case .success, .failure:
            break
        }
        return true
    }

    /// Stops every job (the server is stopping): pending ones never start, running ones are cancelled.
    func shutdown() {
        for id in order {
            guard var job = jobs[id], job.state == .pending || job.state == .running else { continue }
            job.task?.cancel()
            job.task = nil
            job.state = .failure
            job.error = RESTError(.canceledJob, "The server stopped")
            job.completion = Date()
            jobs[id] = job
        }
        for job in jobs.values { for output in job.outputs.values { output.remove() } }
    }

    private func startWaiting() {
        var running = jobs.values.filter { $0.state == .running }.count
        while running < concurrentJobs {
            let waiting = order.compactMap { jobs[$0] }.filter { $0.state == .pending }
            // Highest priority first; among equals, the oldest.
            guard let next = waiting.max(by: { $0.priority < $1.priority }) else { return }
            let id = next.id
            jobs[id]?.state = .running
            jobs[id]?.started = Date()
            let work = next.work
            jobs[id]?.task = Task { [weak self] in
                let outcome: Result<Outcome, any Error>
                do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                await self?.complete(id, outcome)
            }
            running += 1
        }
    }

    private func complete(_ id: String, _ outcome: Result<Outcome, any Error>) {
        // A job stopped by shutdown stays as it is (its files go); one canceled while running ends canceled.
        guard var job = jobs[id], job.state == .running else {
            if case .success(let result) = outcome { for output in result.outputs.values { output.remove() } }
            return
        }
        switch outcome {
        case _ where job.canceled:
            job.state = .failure
            job.error = RESTError(.canceledJob)
            if case .success(let result) = outcome { for output in result.outputs.values { output.remove() } }
        case .success(let result):
            job.state = .success
            job.content = result.content
            job.outputs = result.outputs
        case .failure(let error):
            job.state = .failure
            job.error = ErrorResponses.map(error)
        }
        job.task = nil
        job.completion = Date()
        jobs[id] = job
        finished()
    }

    /// Forgets the jobs that finished first past the history size, then starts waiting ones.
    private func finished() {
        let done = order.compactMap { jobs[$0] }.filter { $0.state == .success || $0.state == .failure }
            .sorted { ($0.completion ?? .distantPast) < ($1.completion ?? .distantPast) }.map(\.id)
        for id in done.dropLast(historySize) {
            for output in jobs[id]?.outputs.values ?? [:].values { output.remove() }
            jobs[id] = nil
            order.removeAll { $0 == id }
        }
        startWaiting()
    }

    /// Orthanc's JSON for a job (`GET /jobs/{id}`).
    static func json(_ job: Job, now: Date = Date()) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let completion = job.completion { members.append(("CompletionTime", .string(timestamp(completion)))) }
        let runtime = job.started.map { (job.completion ?? now).timeIntervalSince($0) } ?? 0
        members += [
            ("Content", job.content),
            ("CreationTime", .string(timestamp(job.creation))),
            ("EffectiveRuntime", .double(runtime)),
            ("ErrorCode", .integer(Int64(job.error?.code.code ?? 0))),
            ("ErrorDescription", .string(job.error?.code.message ?? "Success")),
            ("ErrorDetails", .string(job.error?.details ?? "")),
            ("ID", .string(job.id)),
            ("Priority", .integer(Int64(job.priority))),
            ("Progress", .integer(job.state == .success ? 100 : 0)),
            ("State", .string(job.state.rawValue)),
            ("Timestamp", .string(timestamp(now))),
            ("Type", .string(job.type)),
        ]
        return .object(JSONObject(members))
    }

    /// Orthanc's job times: "YYYYMMDDTHHMMSS.ffffff", UTC.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        let micros = Int((seconds - whole) * 1_000_000)
        return String(format: "%04d%02d%02dT%02d%02d%02d.%06d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    /// How a job-producing POST asks to run in the background: `"Asynchronous": true` or `"Synchronous": false`.
    static func isAsynchronous(_ body: JSONValue?) -> Bool {
        if case .bool(let flag)? = body?["Asynchronous"] { return flag }
        if case .bool(let flag)? = body?["Synchronous"] { return !flag }
        return false
    }

    /// The answer to an asynchronous submission.
    static func submitted(_ id: String) -> JSONValue {
        .object(JSONObject([("ID", .string(id)), ("Path", .string("/jobs/\(id)"))]))
    }
}
