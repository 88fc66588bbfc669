import Logging
import NIOConcurrencyHelpers

/// The level every logger of the process logs at, shared so that `PUT /tools/log-level` changes it while the server
/// runs. `bootstrap` makes swift-log's loggers follow it; without it (tests), loggers keep their own levels.
public final class LogLevelControl: Sendable {
    /// The process's level.
    public static let shared = LogLevelControl()

    private let level = NIOLockedValueBox(Logger.Level.info)

    /// The level loggers log at now.
    public var current: Logger.Level { level.withLockedValue { $0 } }

    /// Changes the level of every logger at once.
    public func set(_ newValue: Logger.Level) { level.withLockedValue { $0 = newValue } }

    /// Starts the process's logging on standard error at `level`, following `shared` from then on.
    public static func bootstrap(level: Logger.Level) {
        shared.set(level)
        LoggingSystem.bootstrap { label in SharedLevelHandler(inner: StreamLogHandler.standardError(label: label)) }
    }

    /// Orthanc's name for a level: "default", "verbose" or "trace".
    public static func name(of level: Logger.Level) -> String {
        level == .trace ? "trace" : level <= .debug ? "verbose" : "default"
    }

    /// The level Orthanc's name stands for; nil for any other word.
    public static func level(named name: String) -> Logger.Level? {
        switch name {
        case "default": .info
        case "verbose": .debug
        case "trace": .trace
        default: nil
        }
    }
}

/// Standard error output whose level is the process's shared one: setting any logger's `logLevel` sets it for every
/// logger of the process.
struct SharedLevelHandler: LogHandler {
    var inner: StreamLogHandler

    var logLevel: Logger.Level {
        get { LogLevelControl.shared.current }
        set { LogLevelControl.shared.set(newValue) }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        // The level was checked against the shared one before this call: the inner handler must not filter again.
        var inner = self.inner
        inner.logLevel = .trace
        inner.log(event: event)
    }
}
