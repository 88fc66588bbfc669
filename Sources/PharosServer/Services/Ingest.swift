import DICOM
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import PharosIndex
import PharosStorage

/// Where an instance came from, recorded as its metadata.
struct IngestOrigin: Sendable {
    enum Door: String, Sendable {
        case restAPI = "RestApi"
        case dicomProtocol = "DicomProtocol"
        case plugins = "Plugins"
        case lua = "Lua"
    }

    var door: Door
    var remoteIP: String?
    var remoteAET: String?
    var calledAET: String?
    var httpUsername: String?

    static func rest(remoteIP: String?, username: String?) -> IngestOrigin {
        IngestOrigin(door: .restAPI, remoteIP: remoteIP, httpUsername: username)
    }
}

/// What an ingest answered: the four resource IDs and Orthanc's status.
struct IngestResult: Sendable, Equatable {
    enum Status: String, Sendable {
        case success = "Success"
        case alreadyStored = "AlreadyStored"
    }

    var identifiers: ResourceIdentifiers
    var status: Status

    /// Orthanc's answer to `POST /instances` for one file.
    var json: JSONValue {
        [
            "ID": .string(identifiers.instance),
            "ParentPatient": .string(identifiers.patient),
            "ParentStudy": .string(identifiers.study),
            "ParentSeries": .string(identifiers.series),
            "Path": .string("/instances/\(identifiers.instance)"),
            "Status": .string(status.rawValue),
        ]
    }
}

/// Stores one DICOM instance, whatever the door: header-only parse, resource IDs, main tags, file written to the
/// storage area before the index row, then one index transaction.
struct Ingest: Sendable {
    let index: any Index
    let storage: any StorageArea
    let deletion: Deletion
    let configuration: ServerConfiguration
    let logger: Logger
    /// Stores under way, through every door.
    let inFlight = NIOLockedValueBox(0)

    /// Everything the index needs about one file, computed without touching storage or index.
    struct Parsed: Sendable {
        var identifiers: ResourceIdentifiers
        var instance: NewInstance
    }

    /// Parses the header of `bytes` and derives what the index records; throws BadFileFormat for non-DICOM input.
    func parse(_ bytes: [UInt8], origin: IngestOrigin, now: Date = Date()) throws -> Parsed {
        let file: DICOMFile
        do {
            file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        } catch {
            throw RESTError(.badFileFormat, "Not a DICOM file: \(error)")
        }
        let dataSet = file.dataSet
        let identifiers: ResourceIdentifiers
        do {
            identifiers = try ResourceIdentifiers(dataSet: dataSet)
        } catch {
            throw RESTError(.badFileFormat, error.reason)
        }
        let fallback = SpecificCharacterSet(orthancEncoding: configuration.defaultEncoding) ?? .default
        let cs = dataSet.specificCharacterSet(inheriting: fallback)
        func tags(_ level: ResourceLevel) -> MainTags {
            var out: MainTags = [:]
            for tag in MainDicomTags.tags(level) {
                guard let element = dataSet[tag] else { continue }
                out[tag] = element.string(cs) ?? ""
            }
            return out
        }
        let patientTags = tags(.patient), studyTags = tags(.study), seriesTags = tags(.series)
        let instanceTags = tags(.instance)

        var metadata: [MetadataKind: String] = [
            .receptionDate: Timestamp.format(now.timeIntervalSince1970, utc: false),
            .origin: origin.door.rawValue,
            .transferSyntax: file.fileMetaInformation.string(.transferSyntaxUID).map { UID.trimmed($0) }
                ?? file.transferSyntax.uid,
        ]
        if let sopClass = dataSet.string(.sopClassUID) { metadata[.sopClassUid] = UID.trimmed(sopClass) }
        if let n = instanceTags[Tag(0x0020, 0x0013)].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            metadata[.indexInSeries] = String(n)
        }
        if let v = origin.remoteIP { metadata[.remoteIP] = v }
        if let v = origin.remoteAET { metadata[.remoteAET] = v }
        if let v = origin.calledAET { metadata[.calledAET] = v }
        if let v = origin.httpUsername { metadata[.httpUsername] = v }

        // The header kept beside the file: the bytes up to Pixel Data, unless they are deflated (offsets then count
        // in the inflated stream, and the stored prefix would not parse).
        var header: [UInt8]?
        if !file.transferSyntax.isDeflated {
            if let pixel = file.pixelData, !pixel.isInInflatedData, pixel.elementOffset <= bytes.count {
                header = Array(bytes[..<pixel.elementOffset])
                metadata[.pixelDataOffset] = String(pixel.elementOffset)
            } else if file.pixelData == nil {
                header = bytes
            }
        }

        let instance = NewInstance(identifiers: identifiers, patientTags: patientTags, studyTags: studyTags,
                                   seriesTags: seriesTags, instanceTags: instanceTags, attachments: [],
                                   metadata: metadata,
                                   expectedInstancesInSeries: Self.expectedInstances(seriesTags), header: header)
        return Parsed(identifiers: identifiers, instance: instance)
    }

    /// Stores one file: parse, make room if the storage is limited, write the file, index it.
    ///
    /// The index commits only once the file is on disk, so no committed row ever points at a file that a crash could
    /// lose. A store alone (one client, one association) has its index rows written while its file is being written
    /// and flushed on NIO's blocking pool. Among concurrent stores, each waits for its file first: the index then
    /// commits those whose files are written together, and no transaction holds the writer for one file.
    func store(_ bytes: [UInt8], origin: IngestOrigin) async throws -> IngestResult {
        let alone = inFlight.withLockedValue { count in
            count += 1
            return count == 1
        }
        defer { inFlight.withLockedValue { $0 -= 1 } }
        var parsed = try parse(bytes, origin: origin)
        try await makeRoom(for: parsed.identifiers, size: Int64(bytes.count))
        let storage = self.storage, index = self.index
        // An instance the index holds already is answered without writing its file again (a modality sending a
        // study twice, an import run again); copies arriving together are still told apart by the index below.
        // The check runs on the storage thread: an asynchronous read would add two hops to every store.
        let skipStored = !configuration.overwriteInstances, instanceID = parsed.identifiers.instance
        let file = PendingFile {
            if skipStored, (try? index.containsInstance(instanceID)) == true { return nil }
            return try storage.write(bytes: bytes)
        }
        let alreadyStored = IngestResult(identifiers: parsed.identifiers, status: .alreadyStored)
        if !alone {
            switch await file.outcome {
            case .success(nil): return alreadyStored
            case .success(let stored?): parsed.instance.attachments = [PendingDICOMFile.attachment(stored)]
            case .failure(let error): throw error
            }
        }
        let outcome: StoreOutcome
        do {
            let overwrite = configuration.overwriteInstances
            if alone {
                outcome = try await index.store(parsed.instance, overwrite: overwrite, pending: PendingDICOMFile(file: file))
            } else {
                outcome = try await index.store(parsed.instance, overwrite: overwrite)
            }
        } catch {
            switch await file.outcome {
            // Found in the index by the check, then deleted before the index's own look: answered as the check saw it.
            case .success(nil): return alreadyStored
            case .success(let stored?): removeFiles([stored.uuid])
            // The file's own error says more than the index's account of it.
            case .failure(let fileError): throw fileError
            }
            throw error
        }
        switch outcome {
        case .stored:
            return IngestResult(identifiers: parsed.identifiers, status: .success)
        case .alreadyStored:
            if case .success(let stored?) = await file.outcome { removeFiles([stored.uuid]) }
            return alreadyStored
        case .overwritten(let removed):
            removeFiles(removed.map(\.uuid))
            return IngestResult(identifiers: parsed.identifiers, status: .success)
        }
    }

    /// The DICOM file of an instance being ingested, as the index waits for it.
    private struct PendingDICOMFile: PendingAttachments {
        let file: PendingFile

        /// Thrown to the index when the file was not written because the instance was held already.
        struct Skipped: Error {}

        func ready() async { _ = await file.outcome }

        func attachments() throws -> [Attachment] {
            switch file.wait() {
            case .success(let stored?): return [Self.attachment(stored)]
            case .success(nil): throw Skipped()
            case .failure(let error): throw error
            }
        }

        static func attachment(_ stored: StoredFile) -> Attachment {
            Attachment(kind: .dicom, uuid: stored.uuid, compressedSize: stored.compressedSize,
                       uncompressedSize: stored.uncompressedSize, compression: stored.compression.rawValue,
                       md5Compressed: stored.md5Compressed, md5Uncompressed: stored.md5Uncompressed)
        }
    }

    /// Recycles the oldest unprotected patients (or refuses the instance) when MaximumPatientCount or
    /// MaximumStorageSize would be exceeded.
    private func makeRoom(for ids: ResourceIdentifiers, size: Int64) async throws {
        let maxPatients = configuration.maximumPatientCount
        let maxBytes = Int64(configuration.maximumStorageSize) * 1024 * 1024
        guard maxPatients > 0 || maxBytes > 0 else { return }
        // A copy of an instance held already takes no room (it is answered AlreadyStored): it must neither be
        // refused as too large nor make a patient be recycled.
        if !configuration.overwriteInstances, try await index.level(of: ids.instance) == .instance { return }
        let reject = configuration.maximumStorageMode.lowercased() == "reject"
        let isNewPatient = try await index.resource(.patient, ids.patient) == nil
        while true {
            let stats = try await index.statistics()
            let tooManyPatients = maxPatients > 0 && isNewPatient && stats.patients >= maxPatients
            let tooLarge = maxBytes > 0 && stats.diskSize + size > maxBytes
            guard tooManyPatients || tooLarge else { return }
            guard !reject, let victim = try await index.oldestRecyclablePatient(excluding: ids.patient) else {
                throw RESTError(.fullStorage, "The storage is full (MaximumStorageSize / MaximumPatientCount)")
            }
            logger.info("Recycling patient \(victim) to make room")
            _ = try await deletion.delete(.patient, victim)
        }
    }

    private func removeFiles(_ uuids: [String]) {
        for uuid in uuids {
            do { try storage.remove(uuid) } catch { logger.warning("Cannot remove attachment \(uuid): \(error)") }
        }
    }

    /// Orthanc's expected number of instances of a series, from its main tags.
    static func expectedInstances(_ tags: MainTags) -> Int? {
        func int(_ g: UInt16, _ e: UInt16) -> Int? {
            tags[Tag(g, e)].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        if let images = int(0x0020, 0x1002), let positions = int(0x0020, 0x0105) { return images * positions }
        if let slices = int(0x0054, 0x0081), let times = int(0x0054, 0x0101) { return slices * times }
        if let images = int(0x0020, 0x1002) { return images }
        if let cardiac = int(0x0018, 0x1090) { return cardiac }
        return nil
    }

    /// Runs blocking file I/O on NIO's blocking thread pool: never on an event loop, which may be running Swift
    /// concurrency's jobs (`PharosServer.takeOverConcurrency`).
    static func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws(StorageError) -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body() }
    }
}
