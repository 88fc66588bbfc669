import DICOM
import PharosIndex
import PharosStorage

/// Reads what the REST API shows of an instance: its header kept in the index when there is one (no file is
/// reopened), else the stored DICOM file.
struct InstanceData: Sendable {
    let index: any Index
    let storage: any StorageArea

    /// The stored DICOM file's bytes; 404 when the instance or its file is unknown.
    func fileBytes(ofInstance id: String) async throws -> [UInt8] {
        guard let attachment = try await index.attachments(.instance, id).first(where: { $0.kind == .dicom }) else {
            throw RESTError.unknownResource()
        }
        let storage = self.storage
        let compression = StorageCompression(rawValue: attachment.compression) ?? .none
        return try await Ingest.offloaded { () throws(StorageError) in
            try storage.read(attachment.uuid, compression: compression)
        }
    }

    /// The instance parsed up to its pixel data.
    func file(ofInstance id: String) async throws -> DICOMFile {
        if let header = try await index.header(ofInstance: id),
           let file = try? DICOMFile.read(bytes: header, options: .headerOnly) {
            return file
        }
        let bytes = try await fileBytes(ofInstance: id)
        return try DICOMFile.read(bytes: bytes, options: .headerOnly)
    }

    /// The whole stored file parsed, pixel data included (for the routes that serve pixel data as stored).
    func completeFile(ofInstance id: String) async throws -> DICOMFile {
        try DICOMFile.read(bytes: try await fileBytes(ofInstance: id))
    }

    /// Whether the instance has pixel data (the stored header ends before it, so the index's metadata tells).
    func hasPixelData(_ file: DICOMFile, instanceID id: String) async throws -> Bool {
        if file.pixelData != nil || file.dataSet[.pixelData] != nil { return true }
        return try await index.metadata(.instance, id)[.pixelDataOffset] != nil
    }

    /// The data set (without file meta information) up to pixel data.
    func dataSet(ofInstance id: String) async throws -> DataSet {
        try await file(ofInstance: id).dataSet
    }
}
