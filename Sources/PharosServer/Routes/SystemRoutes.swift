import DICOM
import Foundation
import PharosIndex

/// `/system`, `/tools`, `/tools/now`, `/tools/now-local`, `/tools/generate-uid`, and the settings Orthanc shows
/// under `/tools` (accepted transfer syntaxes, unknown SOP classes, default encoding, log level).
struct SystemRoutes {
    let configuration: ServerConfiguration
    let index: any Index
    let control: ServerControl

    func register(on routes: RouteTable) {
        routes.get("/system") { _, _ in try await system() }
        routes.get("/tools/now") { _, _ in .text(Timestamp.format(Date().timeIntervalSince1970)) }
        routes.get("/tools/now-local") { _, _ in .text(Timestamp.format(Date().timeIntervalSince1970, utc: false)) }
        routes.get("/tools/generate-uid") { request, _ in
            guard let level = request.uri.queryParameters.get("level"), ResourceLevel(name: level) != nil else {
                throw RESTError(.parameterOutOfRange, "The \"level\" argument must be patient, study, series or instance")
            }
            return .text(UID.generate())
        }
        // Read from the table when asked: every route group has registered its tools by then.
        routes.get("/tools") { _, _ in .json(.array(routes.names(under: "/tools").map { .string($0) })) }
        // Both answer first: the server stops only once the requests in progress, this one included, are answered.
        routes.post("/tools/shutdown") { _, _ in
            control.request(.shutdown)
            return .json(.object(JSONObject()))
        }
        routes.post("/tools/reset") { _, _ in
            control.request(.reset)
            return .json(.object(JSONObject()))
        }
        routes.get("/tools/accepted-transfer-syntaxes") { _, _ in
            .json(.array(DICOMListener.acceptedTransferSyntaxes(configuration).map { .string($0) }))
        }
        routes.get("/tools/unknown-sop-class-accepted") { _, _ in
            .text(configuration.unknownSopClassAccepted ? "1" : "0", contentType: "text/plain")
        }
        routes.get("/tools/default-encoding") { _, _ in .text(configuration.defaultEncoding, contentType: "text/plain") }
        routes.get("/tools/log-level") { _, _ in
            .text(LogLevelControl.name(of: LogLevelControl.shared.current), contentType: "text/plain")
        }
        routes.put("/tools/log-level") { request, _ in
            let word = String(decoding: try await request.collectBody(limit: 64), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let level = LogLevelControl.level(named: word) else {
                throw RESTError(.parameterOutOfRange, "The log level must be default, verbose or trace")
            }
            LogLevelControl.shared.set(level)
            return .text("", contentType: "text/plain")
        }
    }

    private func system() async throws -> Response {
        let c = configuration
        let members: [(String, JSONValue)] = [
            ("ApiVersion", .integer(Int64(PharosVersion.orthancAPILevel))),
            ("CheckRevisions", false),
            ("DatabaseBackendPlugin", nil),
            ("DatabaseServerIdentifier", .string(c.name)),
            ("DatabaseVersion", 6),
            ("DicomAet", .string(c.dicomAet)),
            ("DicomPort", .integer(Int64(c.dicomPort))),
            ("HasLabels", true),
            ("HttpPort", .integer(Int64(c.httpPort))),
            ("IngestTranscoding", ""),
            ("IsHttpServerSecure", false),
            ("MaximumPatientCount", .integer(Int64(c.maximumPatientCount))),
            ("MaximumStorageMode", .string(c.maximumStorageMode)),
            ("MaximumStorageSize", .integer(Int64(c.maximumStorageSize))),
            ("Name", .string(c.name)),
            ("OverwriteInstances", .bool(c.overwriteInstances)),
            ("PharosName", .string(PharosVersion.name)),
            ("PharosVersion", .string(PharosVersion.version)),
            ("PluginsEnabled", false),
            ("StorageAreaPlugin", nil),
            ("StorageCompression", .bool(c.storageCompression)),
            ("UserMetadata", .object(JSONObject())),
            ("Version", .string(PharosVersion.orthancAPIVersion)),
        ]
        return .json(.object(JSONObject(members)))
    }
}
