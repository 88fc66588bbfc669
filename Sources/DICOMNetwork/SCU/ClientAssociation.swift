import DICOM

/// Counts reported by C-MOVE and C-GET responses (PS3.4 §C.4.2.1.6).
public struct SubOperationCounts: Sendable, Equatable {
    public var remaining: Int
    public var completed: Int
    public var failed: Int
    public var warning: Int

    public init(remaining: Int = 0, completed: Int = 0, failed: Int = 0, warning: Int = 0) {
        self.remaining = remaining
        self.completed = completed
        self.failed = failed
        self.warning = warning
    }

    init(_ command: CommandSet) {
        remaining = Int(command.uint16(CommandTag.remainingSubOperations) ?? 0)
        completed = Int(command.uint16(CommandTag.completedSubOperations) ?? 0)
        failed = Int(command.uint16(CommandTag.failedSubOperations) ?? 0)
        warning = Int(command.uint16(CommandTag.warningSubOperations) ?? 0)
    }
}

/// The final answer of a C-MOVE or C-GET.
public struct RetrieveResult: Sendable, Equatable {
    public var status: DIMSEStatus
    public var counts: SubOperationCounts
}

/// An open association as the requestor uses it; valid only inside `DICOMClient.withAssociation`.
public final class ClientAssociation: Sendable {
    let connection: DIMSEConnection
    /// The negotiated association.
    public let association: Association
    let inbox: RequestorInbox

    init(connection: DIMSEConnection, association: Association, inbox: RequestorInbox) {
        self.connection = connection
        self.association = association
        self.inbox = inbox
    }

    private func context(_ sopClass: String, _ transferSyntax: String? = nil) throws -> PresentationContext {
        guard let pc = association.context(for: sopClass, transferSyntax: transferSyntax) else {
            throw DICOMNetworkError(.noPresentationContext, "The peer accepted no presentation context for "
                                    + "\(UIDRegistry.name(for: sopClass) ?? sopClass)")
        }
        return pc
    }

    /// Sends a request and collects its responses until the final one.
    private func exchange(_ command: CommandSet, id: UInt16, context: PresentationContext, dataSet: [UInt8]?,
                          onPending: (DIMSEMessage) async throws -> Void = { _ in }) async throws -> DIMSEMessage {
        let responses = await connection.state.responses(to: id)
        try await connection.send(DIMSEMessage(presentationContextID: context.id, command: command, dataSet: dataSet),
                                  peerMaximumPDULength: association.peerMaximumPDULength)
        for try await response in responses {
            let status = response.command.status ?? .unableToProcess
            if status.isPending {
                try await onPending(response)
            } else {
                return response
            }
        }
        throw DICOMNetworkError(.connectionClosed, "The association ended before the response to message \(id)")
    }

    /// C-ECHO (PS3.7 §9.1.5); answers the status.
    @discardableResult
    public func echo() async throws -> DIMSEStatus {
        let pc = try context(SOPClass.verification)
        let id = await connection.state.makeMessageID()
        var command = CommandSet(.cEchoRQ, messageID: id, hasDataSet: false)
        command.set(CommandTag.affectedSOPClassUID, SOPClass.verification)
        return try await exchange(command, id: id, context: pc, dataSet: nil).command.status ?? .unableToProcess
    }

    /// C-STORE of one Part 10 file (PS3.7 §9.1.1), sent in its own transfer syntax; answers the status.
    public func store(part10 bytes: [UInt8]) async throws -> DIMSEStatus {
        let file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        let sopClass = file.fileMetaInformation.string(.mediaStorageSOPClassUID) ?? file.dataSet.string(.sopClassUID) ?? ""
        let sopInstance = file.fileMetaInformation.string(.mediaStorageSOPInstanceUID)
            ?? file.dataSet.string(.sopInstanceUID) ?? ""
        let syntax = file.fileMetaInformation.string(.transferSyntaxUID) ?? file.transferSyntax.uid
        let pc = try context(sopClass, syntax)
        let dataSet: [UInt8]
        if pc.transferSyntax == syntax {
            dataSet = Array(bytes[Self.dataSetOffset(bytes)...])
        } else {
            // The peer took another uncompressed syntax: re-encode (only implicit/explicit little endian are proposed).
            guard let target = TransferSyntax.lookup(pc.transferSyntax), !target.isEncapsulated,
                  !file.transferSyntax.isEncapsulated else {
                throw DICOMNetworkError(.noPresentationContext, "The peer did not accept \(syntax) for \(sopClass)")
            }
            var full = try DICOMFile.read(bytes: bytes).dataSet
            full.removeAll { $0.tag.group == 0x0002 }
            dataSet = try full.serialized(transferSyntax: target)
        }
        let id = await connection.state.makeMessageID()
        var command = CommandSet(.cStoreRQ, messageID: id, hasDataSet: true)
        command.set(CommandTag.affectedSOPClassUID, sopClass)
        command.set(CommandTag.affectedSOPInstanceUID, sopInstance)
        command.set(CommandTag.priority, 0)
        return try await exchange(command, id: id, context: pc, dataSet: dataSet).command.status ?? .unableToProcess
    }

    /// C-STORE used by C-MOVE sub-operations, with the move originator recorded.
    func store(part10 bytes: [UInt8], moveOriginator: String, moveMessageID: UInt16) async throws -> DIMSEStatus {
        // Same as store(part10:) but tagging the request; kept separate so the public API stays small.
        let file = try DICOMFile.read(bytes: bytes, options: .headerOnly)
        let sopClass = file.fileMetaInformation.string(.mediaStorageSOPClassUID) ?? file.dataSet.string(.sopClassUID) ?? ""
        let sopInstance = file.fileMetaInformation.string(.mediaStorageSOPInstanceUID)
            ?? file.dataSet.string(.sopInstanceUID) ?? ""
        let syntax = file.fileMetaInformation.string(.transferSyntaxUID) ?? file.transferSyntax.uid
        let pc = try context(sopClass, syntax)
        guard pc.transferSyntax == syntax else {
            throw DICOMNetworkError(.noPresentationContext, "The destination did not accept \(syntax) for \(sopClass)")
        }
        let id = await connection.state.makeMessageID()
        var command = CommandSet(.cStoreRQ, messageID: id, hasDataSet: true)
        command.set(CommandTag.affectedSOPClassUID, sopClass)
        command.set(CommandTag.affectedSOPInstanceUID, sopInstance)
        command.set(CommandTag.priority, 0)
        command.set(CommandTag.moveOriginatorAETitle, moveOriginator)
        command.set(CommandTag.moveOriginatorMessageID, moveMessageID)
        let dataSet = Array(bytes[Self.dataSetOffset(bytes)...])
        return try await exchange(command, id: id, context: pc, dataSet: dataSet).command.status ?? .unableToProcess
    }

    /// Where the data set starts in Part 10 bytes: after the preamble, `DICM` and the meta group.
    static func dataSetOffset(_ bytes: [UInt8]) -> Int {
        var i = (bytes.count >= 132 && bytes[128 ..< 132].elementsEqual("DICM".utf8)) ? 132 : 0
        // Walk the explicit VR little endian group 0002 elements.
        while bytes.count - i >= 8, bytes[i] == 0x02, bytes[i + 1] == 0x00 {
            let vr = String(decoding: bytes[i + 4 ..< i + 6], as: UTF8.self)
            let long = ["OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV", "SV", "UV"].contains(vr)
            let length: Int
            let header: Int
            if long {
                guard bytes.count - i >= 12 else { break }
                length = Int(UInt32(bytes[i + 8]) | UInt32(bytes[i + 9]) << 8 | UInt32(bytes[i + 10]) << 16
                             | UInt32(bytes[i + 11]) << 24)
                header = 12
            } else {
                length = Int(UInt16(bytes[i + 6]) | UInt16(bytes[i + 7]) << 8)
                header = 8
            }
            guard length <= bytes.count - i - header else { break }
            i += header + length
        }
        return i
    }

    /// C-FIND (PS3.7 §9.1.2): the identifiers of every pending response.
    public func find(sopClass: String = SOPClass.studyRootFind, identifier: DataSet) async throws -> [DataSet] {
        let pc = try context(sopClass)
        let id = await connection.state.makeMessageID()
        var command = CommandSet(.cFindRQ, messageID: id, hasDataSet: true)
        command.set(CommandTag.affectedSOPClassUID, sopClass)
        command.set(CommandTag.priority, 0)
        guard let syntax = TransferSyntax.lookup(pc.transferSyntax) else {
            throw DICOMNetworkError(.noPresentationContext, "Unknown transfer syntax \(pc.transferSyntax) for C-FIND")
        }
        let bytes = try identifier.serialized(transferSyntax: syntax)
        var answers: [DataSet] = []
        let final = try await exchange(command, id: id, context: pc, dataSet: bytes) { pending in
            if let data = pending.dataSet {
                answers.append(try DataSet.decodeNetwork(data, transferSyntax: pc.transferSyntax))
            }
        }
        let status = final.command.status ?? .unableToProcess
        guard status.isSuccess || status == .cancel else {
            throw DICOMNetworkError(.unexpectedResponse, "C-FIND failed with status \(status)")
        }
        return answers
    }

    /// C-MOVE (PS3.7 §9.1.4) of what `identifier` matches to `destination`.
    public func move(sopClass: String = SOPClass.studyRootMove, identifier: DataSet,
                     destination: String) async throws -> RetrieveResult {
        try await retrieve(.cMoveRQ, sopClass: sopClass, identifier: identifier, destination: destination)
    }

    /// C-GET (PS3.7 §9.1.3): the instances arrive on this association and go to `handler`. The association must
    /// have been opened proposing the storage classes with SCP role selection.
    public func get(sopClass: String = SOPClass.studyRootGet, identifier: DataSet,
                    handler: any StoreHandler) async throws -> RetrieveResult {
        await inbox.setStoreHandler(handler, association: association)
        return try await retrieve(.cGetRQ, sopClass: sopClass, identifier: identifier, destination: nil)
    }

    private func retrieve(_ field: CommandField, sopClass: String, identifier: DataSet,
                          destination: String?) async throws -> RetrieveResult {
        let pc = try context(sopClass)
        let id = await connection.state.makeMessageID()
        var command = CommandSet(field, messageID: id, hasDataSet: true)
        command.set(CommandTag.affectedSOPClassUID, sopClass)
        command.set(CommandTag.priority, 0)
        if let destination { command.set(CommandTag.moveDestination, destination) }
        guard let syntax = TransferSyntax.lookup(pc.transferSyntax) else {
            throw DICOMNetworkError(.noPresentationContext, "Unknown transfer syntax \(pc.transferSyntax)")
        }
        let bytes = try identifier.serialized(transferSyntax: syntax)
        let final = try await exchange(command, id: id, context: pc, dataSet: bytes)
        return RetrieveResult(status: final.command.status ?? .unableToProcess, counts: SubOperationCounts(final.command))
    }

    /// A-RELEASE (PS3.8 §7.2): waits for the peer's A-RELEASE-RP.
    func release() async throws {
        guard case .send(let pdu) = await connection.state.requestRelease() else { return }
        try await connection.send(pdu)
        switch await inbox.end() {
        case .released: return
        case .aborted(let abort):
            throw DICOMNetworkError(.associationAborted, "The peer aborted instead of releasing (reason \(abort.reason))")
        default: return
        }
    }
}
