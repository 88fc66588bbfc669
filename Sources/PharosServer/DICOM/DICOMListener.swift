import DICOM
import DICOMNetwork
import Logging
import NIOCore

/// Starts the DICOM SCP (`DicomServerEnabled`, `DicomPort`, `DicomAet`…) with the store, find and retrieve
/// handlers over the server's services.
enum DICOMListener {
    /// Binds `DicomPort`; throws when the port cannot be bound.
    static func start(configuration c: ServerConfiguration, services: Services, logger: Logger) async throws
        -> DICOMServer {
        let access = services.dicomAccess
        let policy = AcceptancePolicy(
            aeTitle: c.dicomAet, checkCalledAETitle: c.dicomCheckCalledAet,
            acceptUnknownSOPClasses: c.unknownSopClassAccepted,
            transferSyntaxes: acceptedTransferSyntaxes(c),
            maximumPDULength: UInt32(clamping: c.maximumPduLength),
            acceptCaller: { info in await access.acceptsAssociation(info) })
        let idle: TimeAmount = c.dicomScpTimeout > 0 ? .seconds(Int64(c.dicomScpTimeout)) : .hours(24)
        let serverConfiguration = DICOMServerConfiguration(
            host: "0.0.0.0", port: c.dicomPort, policy: policy, maximumAssociations: 64,
            artimTimeout: .seconds(30), idleTimeout: idle)
        let instanceData = InstanceData(index: services.index, storage: services.storage)
        let handlers = ServiceHandlers(
            store: StoreSCP(ingest: services.ingest, access: access, logger: logger),
            find: FindSCP(index: services.index, finder: services.finder, instanceData: instanceData, access: access,
                          configuration: c),
            retrieve: RetrieveSCP(index: services.index, finder: services.finder, instanceData: instanceData,
                                  access: access),
            moveCallingAETitle: c.dicomAet)
        let server = try await DICOMServer.start(configuration: serverConfiguration, handlers: handlers,
                                                 logger: logger)
        logger.info("Pharos serving DICOM as \(c.dicomAet) on port \(server.port)")
        return server
    }

    /// The transfer syntaxes the SCP takes: the known ones matching `AcceptedTransferSyntaxes`, less the families
    /// a `*TransferSyntaxAccepted: false` switch turns off.
    static func acceptedTransferSyntaxes(_ c: ServerConfiguration) -> [String] {
        let patterns = c.acceptedTransferSyntaxes.map { Array($0.unicodeScalars) }
        return AcceptancePolicy.defaultTransferSyntaxes.filter { uid in
            let text = Array(uid.unicodeScalars)
            guard patterns.contains(where: { Finder.glob($0, text) }) else { return false }
            if let family = family(of: uid), c.transferSyntaxFamilies[family] == false { return false }
            return true
        }
    }

    /// The Orthanc switch governing a transfer syntax, if any.
    static func family(of uid: String) -> String? {
        let jpeg = "1.2.840.10008.1.2.4."
        if uid == "1.2.840.10008.1.2.1.99" { return "DeflatedTransferSyntaxAccepted" }
        if uid == "1.2.840.10008.1.2.5" { return "RleTransferSyntaxAccepted" }
        guard uid.hasPrefix(jpeg), let n = Int(uid.dropFirst(jpeg.count)) else { return nil }
        switch n {
        case 57, 58, 65, 66, 70, 80, 81: return "JpegLosslessTransferSyntaxAccepted"
        case 50 ... 64: return "JpegTransferSyntaxAccepted"
        case 90 ... 93, 201 ... 203: return "Jpeg2000TransferSyntaxAccepted"
        case 94, 95: return "JpipTransferSyntaxAccepted"
        case 100, 101: return "Mpeg2TransferSyntaxAccepted"
        case 102 ... 106: return "Mpeg4TransferSyntaxAccepted"
        case 107, 108: return "H265TransferSyntaxAccepted"
        default: return nil
        }
    }
}
