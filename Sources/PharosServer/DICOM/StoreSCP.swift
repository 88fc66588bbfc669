import DICOM
import DICOMNetwork
import Logging

/// C-STORE SCP: each received instance goes through the same ingest as `POST /instances`, tagged with the
/// DICOM origin (RemoteAET, CalledAET, RemoteIP).
struct StoreSCP: StoreHandler {
    let ingest: Ingest
    let access: DICOMAccess
    let logger: Logger

    func store(_ request: StoreRequest) async -> DIMSEStatus {
        let info = request.association
        guard await access.allows(.store, info) else {
            logger.warning("C-STORE from \(info.callingAETitle) refused: not allowed to store")
            return .notAuthorized
        }
        let origin = IngestOrigin(door: .dicomProtocol, remoteIP: info.remoteAddress, remoteAET: info.callingAETitle,
                                  calledAET: info.calledAETitle)
        do {
            _ = try await ingest.store(try request.part10(), origin: origin)
            return .success
        } catch let error as RESTError {
            logger.warning("C-STORE of \(request.sopInstanceUID) from \(info.callingAETitle) refused: \(error)")
            switch error.code {
            case .fullStorage: return .outOfResources
            case .badFileFormat: return .dataSetDoesNotMatchSOPClass
            default: return .unableToProcess
            }
        } catch {
            logger.error("C-STORE of \(request.sopInstanceUID) from \(info.callingAETitle) failed: \(error)")
            return .unableToProcess
        }
    }
}
