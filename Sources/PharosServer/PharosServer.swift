import DICOM
import Foundation
import Logging
import NIOCore
import NIOPosix

/// Pharos' name and version, reported by `/system` beside the Orthanc API level it implements.
public enum PharosVersion {
    public static let name = "Pharos"
    public static let version = "0.1.0"
    /// The Orthanc release whose REST API Pharos follows.
    public static let orthancAPIVersion = "1.12.4"
    public static let orthancAPILevel = 24
}

/// Builds the server from a configuration and runs it until SIGTERM or SIGINT, or until a REST call stops it.
public struct PharosServer: Sendable {
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Makes NIO's event loops run Swift concurrency's jobs too, so a request is read, handled and answered on one
    /// thread instead of hopping to the concurrency pool and back (a wake-up each way, ~1 ms on a small VM).
    /// Blocking work then must not run in tasks: file I/O and decoding go to NIO's blocking pool, whose size is set
    /// here, before its first use, so that concurrent fsyncs do not queue behind each other.
    /// Call once, first thing in the serving process.
    public static func takeOverConcurrency() {
        NIOSingletons.blockingPoolThreadCountSuggestion = max(16, 4 * System.coreCount)
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Opens the storage and index, registers the routes and serves until a shutdown signal, `/tools/shutdown` or
    /// `/tools/reset`; returns when stopped, saying which.
    @discardableResult
    public func run() async throws -> StopReason {
        let services = try await Services.start(configuration: configuration, logger: logger)
        let http = try await startHTTP(services: services)
        logger.info("Pharos \(PharosVersion.version) serving HTTP on \(configuration.httpBindAddress):\(http.port)")
        let dicom = configuration.dicomServerEnabled
            ? try await DICOMListener.start(configuration: configuration, services: services, logger: logger) : nil
        let reason = await withTaskGroup(of: StopReason?.self) { group in
            group.addTask { await Self.shutdownSignal().map { .signal($0) } }
            group.addTask { await services.control.requests.first { _ in true } }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .signal(SIGTERM)
        }
        switch reason {
        case .signal(let number):
            logger.info("Received \(number == SIGINT ? "SIGINT" : "SIGTERM"): finishing the requests in progress, then stopping")
        case .shutdown:
            logger.info("Shutdown asked over the REST API: finishing the requests in progress, then stopping")
        case .reset:
            logger.info("Reset asked over the REST API: stopping, then starting again with the configuration read anew")
        }
        await http.shutdown()
        await dicom?.shutdown()
        try await services.shutdown()
        return reason
    }

    /// The REST API on its port: access rules, every route group, Orthanc's errors.
    func startHTTP(services: Services) async throws -> HTTPServer {
        let routes = RouteTable()
        registerAllRoutes(routes, services: services, configuration: configuration)
        let responder = RESTResponder(routes: routes, access: AccessControl(configuration: configuration),
                                      errors: ErrorResponses(describeErrors: configuration.httpDescribeErrors),
                                      metrics: services.metrics)
        // An idle connection is kept a minute per unit of KeepAliveTimeout, as under Hummingbird before.
        let settings = HTTPServer.Settings(
            host: configuration.httpBindAddress, port: configuration.httpPort,
            maximumBodySize: configuration.maximumRequestSize, keepAlive: configuration.keepAlive,
            idleTimeout: .seconds(Int64(max(configuration.keepAliveTimeout, 1) * 60)),
            serverName: "Pharos/\(PharosVersion.version)")
        return try await HTTPServer.start(settings, responder: responder, logger: logger)
    }

    /// Waits for SIGTERM or SIGINT and answers which came; nil when cancelled.
    static func shutdownSignal() async -> Int32? { await SignalWatcher.shared.next() }
}
