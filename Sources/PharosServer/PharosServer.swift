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

/// Builds the server from a configuration and runs it until SIGTERM or SIGINT.
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

    /// Opens the storage and index, registers the routes and serves until a shutdown signal; returns when stopped.
    public func run() async throws {
        let services = try await Services.start(configuration: configuration, logger: logger)
        let http = try await startHTTP(services: services)
        logger.info("Pharos \(PharosVersion.version) serving HTTP on \(configuration.httpBindAddress):\(http.port)")
        let dicom = configuration.dicomServerEnabled
            ? try await DICOMListener.start(configuration: configuration, services: services, logger: logger) : nil
        let signal = await Self.shutdownSignal()
        logger.info("Received \(signal == SIGINT ? "SIGINT" : "SIGTERM"): finishing the requests in progress, then stopping")
        await http.shutdown()
        await dicom?.shutdown()
        try await services.shutdown()
    }

    /// The REST API on its port: access rules, every route group, Orthanc's errors.
    func startHTTP(services: Services) async throws -> HTTPServer {
        let routes = RouteTable()
        registerAllRoutes(routes, services: services, configuration: configuration)
        let responder = RESTResponder(routes: routes, access: AccessControl(configuration: configuration),
                                      errors: ErrorResponses(describeErrors: configuration.httpDescribeErrors))
        // An idle connection is kept a minute per unit of KeepAliveTimeout, as under Hummingbird before.
        let settings = HTTPServer.Settings(
            host: configuration.httpBindAddress, port: configuration.httpPort,
            maximumBodySize: configuration.maximumRequestSize, keepAlive: configuration.keepAlive,
            idleTimeout: .seconds(Int64(max(configuration.keepAliveTimeout, 1) * 60)),
            serverName: "Pharos/\(PharosVersion.version)")
        return try await HTTPServer.start(settings, responder: responder, logger: logger)
    }

    /// Waits for SIGTERM or SIGINT and answers which came.
    static func shutdownSignal() async -> Int32 {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        for await number in signals { return number }
        return SIGTERM
    }
}
