import Foundation

/// Counts what the import did and shows it: a bar redrawn in place on a terminal, plain lines otherwise.
struct ImportProgress {
    private(set) var uploaded = 0
    private(set) var alreadyStored = 0
    private(set) var ignored = 0
    private(set) var errors = 0
    private(set) var bytes = 0
    private(set) var studies: Set<String> = []
    let total: Int?
    private let interactive = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var lineShown = false

    init(total: Int?) { self.total = total }

    private var done: Int { uploaded + alreadyStored + ignored + errors }

    mutating func recordIgnored(_ name: String, verbose: Bool) {
        ignored += 1
        if verbose { say("ignored (not DICOM): \(name)") }
        draw()
    }

    mutating func recordError(_ name: String, _ reason: String) {
        errors += 1
        say("error: \(name): \(reason)")
        draw()
    }

    mutating func recordStored(size: Int, study: String?, status: String) {
        if status == "AlreadyStored" { alreadyStored += 1 } else { uploaded += 1 }
        bytes += size
        if let study { studies.insert(study) }
        draw()
    }

    /// A message on its own line, without breaking the bar.
    mutating func say(_ message: String) {
        if interactive && lineShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        lineShown = false
        if interactive { lastDraw = .distantPast }
    }

    /// Redraws at most ten times a second on a terminal, every five seconds as a plain line otherwise.
    mutating func draw(force: Bool = false) {
        let now = Date()
        let interval = interactive ? 0.1 : 5
        guard force || now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let seconds = max(now.timeIntervalSince(started), 0.001)
        let megabytes = Double(bytes) / 1_048_576
        var line = ""
        if let total, total > 0 {
            let width = 24
            let filled = min(width, done * width / total)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += "\(done)/\(total) files"
        } else {
            line += "\(done) files"
        }
        line += String(format: "  %.1f MB  %.1f MB/s  %.0f files/s", megabytes, megabytes / seconds,
                       Double(done) / seconds)
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            lineShown = true
        } else {
            FileHandle.standardError.write(Data("progress: \(line)\n".utf8))
        }
    }

    /// Ends the bar's line on a terminal.
    mutating func finish() {
        if interactive {
            draw(force: true)
            FileHandle.standardError.write(Data("\n".utf8))
            lineShown = false
        }
    }

    /// The closing line, e.g. "12 instances imported (2 new studies), 1 already stored, 3 JSON/non-DICOM files
    /// ignored, 0 errors".
    func summary(newStudies: Int) -> String {
        let seconds = Date().timeIntervalSince(started)
        return "\(uploaded + alreadyStored) instances imported (\(newStudies) new studies), "
            + "\(alreadyStored) already stored, \(ignored) JSON/non-DICOM files ignored, \(errors) errors"
            + String(format: " in %.1f s (%.1f MB)", seconds, Double(bytes) / 1_048_576)
    }
}
