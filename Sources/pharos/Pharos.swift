import ArgumentParser
import Foundation
import Logging
import PharosServer

/// The `pharos` command: serve (the default) or import.
@main
struct Pharos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pharos",
        abstract: "Pharos, a DICOM server with Orthanc's REST API.",
        version: PharosVersion.version,
        subcommands: [Serve.self, Import.self],
        defaultSubcommand: Serve.self
    )
}

/// `pharos [CONFIG]`: start the server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Start the server (the default).")

    @Argument(help: "An Orthanc-format JSON configuration file, or a folder of .json files merged.")
    var config: String?

    @Flag(help: "Log more (info and debug).")
    var verbose = false

    @Flag(help: "Log everything (trace).")
    var trace = false

    @Option(name: .customLong("config"),
            help: "Write a commented default configuration to FILE (which must not exist yet) and exit.")
    var writeConfig: String?

    func run() async throws {
        PharosServer.takeOverConcurrency()
        if let writeConfig {
            // Orthanc overwrites FILE; `pharos --config mine.json`, read as "start with mine.json", would then
            // replace a user's configuration with the sample.
            if FileManager.default.fileExists(atPath: writeConfig) {
                FileHandle.standardError.write(Data("""
                    pharos: \(writeConfig) exists and is left as it is: --config writes a sample configuration to a \
                    new file. To start with a configuration, give it as an argument: pharos \(writeConfig)

                    """.utf8))
                throw ExitCode(2)
            }
            try DefaultConfiguration.text.write(toFile: writeConfig, atomically: true, encoding: .utf8)
            return
        }
        LogLevelControl.bootstrap(level: trace ? .trace : verbose ? .debug : .info)
        let logger = Logger(label: "pharos")
        // `/tools/reset` stops the server, which then starts again from the configuration read anew.
        while true {
            let settings: ServerConfiguration
            do {
                let values = try ConfigurationLoader.load(path: config)
                settings = try ServerConfiguration(values: values) { key in
                    logger.info("Configuration key \"\(key)\" is not used by Pharos; ignored")
                }
            } catch {
                FileHandle.standardError.write(Data("pharos: \(error.message)\n".utf8))
                throw ExitCode(2)
            }
            guard try await PharosServer(configuration: settings, logger: logger).run() == .reset else { return }
        }
    }
}
