import DICOM
import PharosIndex
import PharosStorage

/// `/{level}/{id}/attachments/{name}/…`: one stored file of a resource (the DICOM file of an instance), its content
/// as stored or decompressed, its sizes and checksums, and a check of the file against them (`verify-md5`).
struct AttachmentRoutes {
    let index: any Index
    let storage: any StorageArea

    /// What `GET …/attachments/{name}` lists.
    static let operations = ["compressed-data", "compressed-md5", "compressed-size", "data", "info", "is-compressed",
                             "md5", "size", "uuid", "verify-md5"]

    func register(on routes: RouteTable) {
        for level in ResourceLevel.allCases {
            let base = "/\(level.collection)/{id}/attachments/{name}"
            routes.get(base) { request, context in
                _ = try await attachment(level, request, context)
                return .json(.array(Self.operations.map { .string($0) }))
            }
            routes.get(base + "/data") { request, context in
                let a = try await attachment(level, request, context)
                return .bytes(try await read(a, decompressed: true), contentType: Self.contentType(a))
            }
            routes.get(base + "/compressed-data") { request, context in
                let a = try await attachment(level, request, context)
                return .bytes(try await read(a, decompressed: false), contentType: Self.contentType(a))
            }
            let fields: [(String, @Sendable (Attachment) -> String)] = [
                ("md5", { $0.md5Uncompressed }), ("compressed-md5", { $0.md5Compressed }),
                ("size", { String($0.uncompressedSize) }), ("compressed-size", { String($0.compressedSize) }),
                ("is-compressed", { $0.compression == StorageCompression.none.rawValue ? "0" : "1" }),
                ("uuid", { $0.uuid }),
            ]
            for (path, value) in fields {
                routes.get(base + "/" + path) { request, context in
                    .text(value(try await attachment(level, request, context)), contentType: "text/plain")
                }
            }
            routes.get(base + "/info") { request, context in
                let a = try await attachment(level, request, context)
                return .json([
                    "CompressedMD5": .string(a.md5Compressed), "CompressedSize": .integer(a.compressedSize),
                    "ContentType": .integer(Int64(a.kind.rawValue)), "UncompressedMD5": .string(a.md5Uncompressed),
                    "UncompressedSize": .integer(a.uncompressedSize), "Uuid": .string(a.uuid),
                ])
            }
            routes.post(base + "/verify-md5") { request, context in
                let a = try await attachment(level, request, context)
                // The file as stored first, then (when compressed) its content: both must match what was recorded.
                var intact = MD5.hexDigest(try await read(a, decompressed: false)) == a.md5Compressed
                if intact && a.compression != StorageCompression.none.rawValue {
                    intact = MD5.hexDigest(try await read(a, decompressed: true)) == a.md5Uncompressed
                }
                guard intact else {
                    throw RESTError(.badRequest, "The attachment \(a.kind.name) of \(try request.id(context)) does "
                                    + "not match its recorded MD5: its file is corrupted")
                }
                return .json(.object(JSONObject()))
            }
        }
    }

    /// The attachment a request names: "dicom", "dicom-until-pixel-data" or a number; 404 when the resource has
    /// none of that kind (Orthanc's InexistentItem for a name that is no kind at all).
    private func attachment(_ level: ResourceLevel, _ request: Request,
                            _ context: PharosRequestContext) async throws -> Attachment {
        let id = try request.id(context)
        let name = context.parameters.get("name") ?? ""
        guard let kind = Self.kind(named: name) else {
            throw RESTError(.inexistentItem, "No attachment kind is named '\(name)'")
        }
        guard try await index.resource(level, id) != nil,
              let found = try await index.attachments(level, id).first(where: { $0.kind == kind }) else {
            throw RESTError.unknownResource()
        }
        return found
    }

    static func kind(named name: String) -> AttachmentKind? {
        switch name {
        case "dicom": return .dicom
        case "dicom-until-pixel-data": return .dicomUntilPixelData
        default: return Int(name).flatMap { $0 > 0 ? AttachmentKind(rawValue: $0) : nil }
        }
    }

    private static func contentType(_ a: Attachment) -> String {
        a.kind == .dicom ? "application/dicom" : "application/octet-stream"
    }

    private func read(_ a: Attachment, decompressed: Bool) async throws -> [UInt8] {
        let storage = self.storage
        let compression = StorageCompression(rawValue: a.compression) ?? .none
        return try await Ingest.offloaded { () throws(StorageError) in
            decompressed ? try storage.read(a.uuid, compression: compression) : try storage.readStored(a.uuid)
        }
    }
}
