import ArgumentParser
import Foundation

/// `pharos import PATH…`: upload DICOM files, folders and archives to a running server over its REST API.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Upload DICOM files, folders (recursively) and archives (.zip, .tar, .tar.gz, .tgz, .tar.bz2, "
            + ".gz, .bz2) to a Pharos or Orthanc server."
    )

    @Argument(help: "Files, folders and archives to import.")
    var paths: [String]

    @Option(help: "Base URL of the server's REST API.")
    var url = "http://localhost:8042"

    @Option(help: "User name for HTTP basic authentication.")
    var username: String?

    @Option(help: "Password for HTTP basic authentication.")
    var password: String?

    @Option(help: "Number of files uploaded at the same time.")
    var jobs = 4

    @Flag(help: "Also name every file ignored as not DICOM.")
    var verbose = false

    func validate() throws {
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        guard !paths.isEmpty else { throw ValidationError("name at least one file, folder or archive") }
    }

    func run() async throws {
        do {
            let summary = try await importAll()
            print(summary.text)
            if summary.errors > 0 { throw ExitCode(1) }
        } catch let error as ImportError {
            FileHandle.standardError.write(Data("pharos import: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    private struct Summary {
        let text: String
        let errors: Int
    }

    private func importAll() async throws(ImportError) -> Summary {
        let client = ImportClient(url: url, username: username, password: password, connections: jobs)
        // Also the reachability and credentials check, before anything is read.
        let studiesBefore = try await client.studyIDs()
        let source = try ImportSource(paths: paths)
        var progress = ImportProgress(total: source.knownTotal)
        let verbose = self.verbose
        let jobs = self.jobs
        let unreachable: String? = await withTaskGroup(of: (String, Int, UploadOutcome).self) { group in
            var inFlight = 0
            var unreachable: String?
            // Records one finished upload; returns false when the server went away.
            func record(_ result: (String, Int, UploadOutcome)) -> Bool {
                let (name, size, outcome) = result
                switch outcome {
                case .stored(let study, let status): progress.recordStored(size: size, study: study, status: status)
                case .refused(let message): progress.recordError(name, message)
                case .unreachable(let message):
                    progress.recordError(name, message)
                    unreachable = message
                    return false
                }
                return true
            }
            reading: while let item = source.next() {
                switch item {
                case .ignored(let name): progress.recordIgnored(name, verbose: verbose)
                case .failed(let name, let reason): progress.recordError(name, reason)
                case .upload(let name, let data):
                    if inFlight >= jobs, let result = await group.next() {
                        inFlight -= 1
                        if !record(result) { break reading }
                    }
                    group.addTask { (name, data.count, await client.upload(data)) }
                    inFlight += 1
                }
            }
            for await result in group { _ = record(result) }
            return unreachable
        }
        progress.finish()
        if let unreachable {
            throw ImportError("lost the server at \(url): \(unreachable); "
                + progress.summary(newStudies: progress.studies.subtracting(studiesBefore).count))
        }
        let newStudies = progress.studies.subtracting(studiesBefore).count
        return Summary(text: progress.summary(newStudies: newStudies), errors: progress.errors)
    }
}
