import DICOM
import DICOMNetwork
import NIOCore
import PharosIndex

extension OrthancErrorCode {
    /// Orthanc's NetworkProtocol error (a DICOM peer failed, refused or did not answer).
    static let networkProtocol = OrthancErrorCode(code: 9, name: "NetworkProtocol", httpStatus: 500,
                                                  message: "Error in the network protocol")
}

/// Pharos as a DICOM SCU towards the configured modalities: C-ECHO and C-STORE of stored resources.
struct DICOMSCU: Sendable {
    let index: any Index
    let instanceData: InstanceData
    let configuration: ServerConfiguration

    /// What a C-STORE job did, as Orthanc's synchronous job answer reports it.
    struct StoreReport: Sendable {
        var localAet: String
        var remoteAet: String
        var parentResources: [String]
        var instancesCount: Int
        var failedInstancesCount: Int

        var json: JSONValue {
            .object(JSONObject([
                ("Description", "REST API"),
                ("FailedInstancesCount", .integer(Int64(failedInstancesCount))),
                ("InstancesCount", .integer(Int64(instancesCount))),
                ("LocalAet", .string(localAet)),
                ("ParentResources", .array(parentResources.map { .string($0) })),
                ("RemoteAet", .string(remoteAet)),
            ]))
        }
    }

    func client(_ modality: DicomModality, localAet: String? = nil, timeout: Int? = nil) -> DICOMClient {
        let seconds = Int64(timeout ?? (modality.timeout > 0 ? modality.timeout : configuration.dicomScuTimeout))
        return DICOMClient(callingAETitle: localAet ?? modality.localAet ?? configuration.dicomAet,
                           calledAETitle: modality.aet, host: modality.host, port: modality.port,
                           connectTimeout: .seconds(max(seconds, 1)), dimseTimeout: .seconds(max(seconds, 1)),
                           maximumPDULength: UInt32(clamping: configuration.maximumPduLength))
    }

    /// Runs `body`, turning a failure to reach the peer (refused connection, unknown host…) into a
    /// `DICOMNetworkError` naming the modality, so it answers Orthanc's NetworkProtocol error, not an internal one.
    func reaching<T>(_ modality: DicomModality, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DICOMNetworkError {
            throw error
        } catch let error as RESTError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DICOMNetworkError(.connectionClosed,
                                    "Cannot reach \(modality.aet) at \(modality.host):\(modality.port): \(error)")
        }
    }

    /// C-ECHO; throws a `DICOMNetworkError` when the peer cannot be reached or answers a failure.
    func echo(_ modality: DicomModality, timeout: Int? = nil) async throws {
        let status = try await reaching(modality) {
            try await client(modality, timeout: timeout).withAssociation(
                proposing: [(SOPClass.verification, [TransferSyntax.implicitVRLittleEndian.uid])]) { try await $0.echo() }
        }
        guard status.isSuccess else {
            throw DICOMNetworkError(.unexpectedResponse, "C-ECHO to \(modality.aet) answered status \(status)")
        }
    }

    /// The instances under resources given by their Orthanc IDs (any level); unknown IDs are a 404.
    func instances(of resources: [String]) async throws -> [String] {
        var out: [String] = []
        for id in resources {
            guard let level = try await index.level(of: id) else {
                throw RESTError(.unknownResource, "Unknown resource \(id)")
            }
            out += level == .instance ? [id] : try await index.descendants(of: level, id, at: .instance)
        }
        return out
    }

    /// C-STORE of every instance under `resources` to `modality`, on one association.
    func store(_ resources: [String], to modality: DicomModality, localAet: String? = nil,
               timeout: Int? = nil) async throws -> StoreReport {
        let instances = try await instances(of: resources)
        var contexts: [(abstractSyntax: String, transferSyntaxes: [String])] = []
        var seen = Set<String>()
        for id in instances {
            let metadata = try await index.metadata(.instance, id)
            let sopClass = metadata[.sopClassUid] ?? ""
            let syntax = metadata[.transferSyntax] ?? TransferSyntax.explicitVRLittleEndian.uid
            guard seen.insert(sopClass + "|" + syntax).inserted else { continue }
            var syntaxes = [syntax]
            if !(TransferSyntax.lookup(syntax)?.isEncapsulated ?? true) {
                // Uncompressed data can be re-encoded if the peer prefers another little endian syntax.
                for alternative in [TransferSyntax.explicitVRLittleEndian.uid, TransferSyntax.implicitVRLittleEndian.uid]
                where !syntaxes.contains(alternative) { syntaxes.append(alternative) }
            }
            contexts.append((sopClass, syntaxes))
        }
        var report = StoreReport(localAet: localAet ?? modality.localAet ?? configuration.dicomAet,
                                 remoteAet: modality.aet, parentResources: resources,
                                 instancesCount: instances.count, failedInstancesCount: 0)
        guard !instances.isEmpty else { return report }
        let data = instanceData
        let failed = try await client(modality, localAet: localAet, timeout: timeout).withAssociation(
            proposing: contexts) { association in
            var failed = 0
            for id in instances {
                let bytes = try await data.fileBytes(ofInstance: id)
                do {
                    let status = try await association.store(part10: bytes)
                    if status.isFailure { failed += 1 }
                } catch let error as DICOMNetworkError where error.code == .noPresentationContext {
                    failed += 1
                }
            }
            return failed
        }
        report.failedInstancesCount = failed
        if failed > 0 {
            throw DICOMNetworkError(.unexpectedResponse,
                                    "C-STORE to \(modality.aet): \(failed) of \(instances.count) instances failed")
        }
        return report
    }
}
