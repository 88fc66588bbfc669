import DICOM
import Foundation
import Hummingbird
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
        let app = try makeApplication(services: services)
        logger.info("Pharos \(PharosVersion.version) serving HTTP on \(configuration.httpBindAddress):\(configuration.httpPort)")
        let dicom = configuration.dicomServerEnabled
            ? try await DICOMListener.start(configuration: configuration, services: services, logger: logger) : nil
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        await dicom?.shutdown()
        try await services.shutdown()
    }

    /// The Hummingbird application: middlewares, then every route group.
    func makeApplication(services: Services,
                         onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let router = Router(context: PharosRequestContext.self)
        let routes = RouteTable(router: router)
        router.add(middleware: ErrorMiddleware(describeErrors: configuration.httpDescribeErrors, routes: routes))
        router.add(middleware: AccessMiddleware(configuration: configuration))
        router.add(middleware: MethodOverrideMiddleware())
        registerAllRoutes(routes, services: services, configuration: configuration)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()],
                                                idleTimeout: configuration.keepAlive ? .seconds(Int64(max(configuration.keepAliveTimeout, 1) * 60)) : .seconds(1))),
            configuration: .init(address: .hostname(configuration.httpBindAddress, port: configuration.httpPort),
                                 serverName: "Pharos/\(PharosVersion.version)"),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
