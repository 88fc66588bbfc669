import DICOM
import PharosIndex
import PharosStorage

/// `/{level}/{id}/attachments/{name}/…`: one stored file of a resource (the DICOM file of an instance), its content
/// as stored or decompressed, its sizes and checksums, a check of the file against them (`verify-md5`), and its
/// storage changed to compressed or not (`compress`, `uncompress`).
struct AttachmentRoutes {
    let index: any Index
    let storage: any StorageArea

    /// What `GET …/attachments/{name}` lists.
    static let operations = ["compress", "compressed-data", "compressed-md5", "compressed-size", "data", "info",
                             "is-compressed", "md5", "size", "uncompress", "verify-md5", "uuid"]

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
            for (path, target) in [("compress", StorageCompression.zlib), ("uncompress", .none)] {
                routes.post(base + "/" + path) { request, context in
                    try await recompress(try await attachment(level, request, context), of: level,
                                         try request.id(context), to: target)
                    return .json(.object(JSONObject()))
                }
            }
            routes.post(base + "/verify-md5") { request, context in
                let a = try await attachment(level, request, context)
                // The file as stored first, then (when compressed) its content: both must match what was recorded.
                var intact = try await digest(a, decompressed: false) == a.md5Compressed
                if intact && a.compression != StorageCompression.none.rawValue {
                    intact = try await digest(a, decompressed: true) == a.md5Uncompressed
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

    /// Stores the attachment's content anew with `target` compression, points the index at the new file, then
    /// removes the old one; nothing changes when it is stored that way already.
    private func recompress(_ a: Attachment, of level: ResourceLevel, _ id: String,
                            to target: StorageCompression) async throws {
        guard a.compression != target.rawValue else { return }
        let content = try await read(a, decompressed: true)
        let storage = self.storage
        let stored = try await Ingest.offloaded { () throws(StorageError) in
            try storage.write(bytes: content, compression: target)
        }
        let replacement = Attachment(kind: a.kind, uuid: stored.uuid, compressedSize: stored.compressedSize,
                                     uncompressedSize: stored.uncompressedSize, compression: stored.compression.rawValue,
                                     md5Compressed: stored.md5Compressed, md5Uncompressed: stored.md5Uncompressed)
        let replaced = try await index.replaceAttachment(level, id, expectedUUID: a.uuid, with: replacement)
        // The file that is no longer referenced goes: the old one, or the new one when another call won.
        let unused = replaced ? a.uuid : stored.uuid
        _ = try? await Ingest.offloaded { () throws(StorageError) in try storage.remove(unused) }
        guard replaced else {
            throw RESTError(.badSequenceOfCalls, "The attachment changed while it was being rewritten: try again")
        }
    }

    /// The MD5 of the attachment, read and hashed on the blocking pool (a large file would hold an event loop).
    private func digest(_ a: Attachment, decompressed: Bool) async throws -> String {
        let storage = self.storage
        return try await Ingest.offloaded { () throws(StorageError) in
            MD5.hexDigest(try Self.load(a, decompressed: decompressed, from: storage))
        }
    }

    private func read(_ a: Attachment, decompressed: Bool) async throws -> [UInt8] {
        let storage = self.storage
        return try await Ingest.offloaded { () throws(StorageError) in
            try Self.load(a, decompressed: decompressed, from: storage)
        }
    }

    /// The attachment's bytes as stored, or its content (decompressed); blocking.
    private static func load(_ a: Attachment, decompressed: Bool,
                             from storage: any StorageArea) throws(StorageError) -> [UInt8] {
        guard decompressed else { return try storage.readStored(a.uuid) }
        return try storage.read(a.uuid, compression: StorageCompression(rawValue: a.compression) ?? .none)
    }
}
