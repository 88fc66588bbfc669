import DICOM
import Foundation
import PharosIndex

/// `/system`, `/tools/now`, `/tools/now-local`, `/tools/generate-uid`.
struct SystemRoutes {
    let configuration: ServerConfiguration
    let index: any Index

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
