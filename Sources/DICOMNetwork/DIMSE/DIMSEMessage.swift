import DICOM

/// One DIMSE message (PS3.7 §6.3): a command set and, optionally, a data set in the context's transfer syntax.
public struct DIMSEMessage: Sendable, Equatable {
    public var presentationContextID: UInt8
    public var command: CommandSet
    /// The data set bytes exactly as received (or to send), in the presentation context's transfer syntax.
    public var dataSet: [UInt8]?

    public init(presentationContextID: UInt8, command: CommandSet, dataSet: [UInt8]? = nil) {
        self.presentationContextID = presentationContextID
        self.command = command
        self.dataSet = dataSet
    }

    /// P-DATA-TF PDUs carrying this message, each PDV at most `maximumLength - 6` bytes (0: no limit).
    func pdus(maximumLength: UInt32) throws -> [PDU] {
        let limit = maximumLength == 0 ? Int(UInt32.max) - 6 : max(Int(maximumLength) - 6, 1)
        var out: [PDU] = []
        func fragment(_ bytes: [UInt8], isCommand: Bool) {
            var start = 0
            repeat {
                let end = min(start + limit, bytes.count)
                out.append(.dataTF([PDV(presentationContextID: presentationContextID, isCommand: isCommand,
                                        isLast: end == bytes.count, data: Array(bytes[start ..< end]))]))
                start = end
            } while start < bytes.count
        }
        fragment(try command.encoded(), isCommand: true)
        if let dataSet { fragment(dataSet, isCommand: false) }
        return out
    }

    /// P-DATA-TF PDUs carrying `messages` in order, a message's PDVs packed into as few PDUs as `maximumLength`
    /// allows (0: no limit). A P-DATA-TF may hold several PDVs (PS3.8 §9.3.5), so a small C-FIND answer travels as
    /// one PDU instead of two, each of which costs a pass through the channel pipeline. Every message starts a new
    /// PDU: DCMTK refuses a PDU holding the end of one message and the start of the next ("Bad presentation
    /// context ID").
    static func packedPDUs(_ messages: [DIMSEMessage], maximumLength: UInt32) throws -> [PDU] {
        // The PDU's variable field holds PDV items of a 4-byte length, 2 header bytes and the fragment.
        let capacity = maximumLength == 0 ? Int(UInt32.max) : max(Int(maximumLength), 7)
        var out: [PDU] = []
        var current: [PDV] = []
        var used = 0
        func add(_ bytes: [UInt8], contextID: UInt8, isCommand: Bool) {
            var start = 0
            repeat {
                if !current.isEmpty && capacity - used < 6 + min(1, bytes.count - start) {
                    out.append(.dataTF(current))
                    current = []
                    used = 0
                }
                let end = min(start + (capacity - used - 6), bytes.count)
                current.append(PDV(presentationContextID: contextID, isCommand: isCommand, isLast: end == bytes.count,
                                   data: Array(bytes[start ..< end])))
                used += 6 + end - start
                start = end
            } while start < bytes.count
        }
        // Pending C-FIND responses share one command set: encoded once.
        var lastCommand: (command: CommandSet, bytes: [UInt8])?
        for message in messages {
            if !current.isEmpty {
                out.append(.dataTF(current))
                current = []
                used = 0
            }
            if lastCommand?.command != message.command {
                lastCommand = (message.command, try message.command.encoded())
            }
            add(lastCommand?.bytes ?? [], contextID: message.presentationContextID, isCommand: true)
            if let dataSet = message.dataSet {
                add(dataSet, contextID: message.presentationContextID, isCommand: false)
            }
        }
        if !current.isEmpty { out.append(.dataTF(current)) }
        return out
    }
}

/// Reassembles DIMSE messages from PDV fragments (PS3.8 Annex E), refusing data sets over a size limit.
struct MessageAssembler {
    let maximumDataSetSize: Int
    private var contextID: UInt8?
    private var commandBytes: [UInt8] = []
    private var command: CommandSet?
    private var dataBytes: [UInt8] = []

    init(maximumDataSetSize: Int) { self.maximumDataSetSize = maximumDataSetSize }

    /// Adds one PDV; answers a complete message when this fragment ends one.
    mutating func add(_ pdv: PDV) throws(DICOMNetworkError) -> DIMSEMessage? {
        if let contextID, contextID != pdv.presentationContextID {
            throw DICOMNetworkError(.malformedMessage, "PDV for presentation context \(pdv.presentationContextID) "
                                    + "arrived in the middle of a message on context \(contextID)")
        }
        contextID = pdv.presentationContextID
        if pdv.isCommand {
            guard command == nil else {
                throw DICOMNetworkError(.malformedMessage, "Command fragment received while a data set was expected")
            }
            guard commandBytes.count + pdv.data.count <= 1 << 20 else {
                throw DICOMNetworkError(.malformedMessage, "DIMSE command set exceeds 1 MiB")
            }
            commandBytes += pdv.data
            guard pdv.isLast else { return nil }
            let decoded = try CommandSet.decode(commandBytes)
            commandBytes = []
            if decoded.hasDataSet {
                command = decoded
                return nil
            }
            return finish(decoded, dataSet: nil)
        }
        guard let command else {
            throw DICOMNetworkError(.malformedMessage, "Data set fragment received before its command set")
        }
        guard dataBytes.count + pdv.data.count <= maximumDataSetSize else {
            throw DICOMNetworkError(.dataSetTooLarge, "Data set exceeds the limit of \(maximumDataSetSize) bytes")
        }
        if dataBytes.isEmpty && !pdv.isLast {
            dataBytes.reserveCapacity(min(pdv.data.count * 64, maximumDataSetSize))
        }
        dataBytes += pdv.data
        guard pdv.isLast else { return nil }
        return finish(command, dataSet: dataBytes)
    }

    private mutating func finish(_ command: CommandSet, dataSet: [UInt8]?) -> DIMSEMessage {
        let message = DIMSEMessage(presentationContextID: contextID ?? 0, command: command, dataSet: dataSet)
        contextID = nil
        self.command = nil
        dataBytes = []
        return message
    }
}

extension DataSet {
    /// Parses a data set as received over the network in `transferSyntax` (no meta group around it).
    public static func decodeNetwork(_ bytes: [UInt8], transferSyntax: String,
                                     limits: ParseLimits = .default) throws -> DataSet {
        try DataSet.read(bytes: bytes, transferSyntax: TransferSyntax.lookupOrPrivate(transferSyntax),
                         options: ReadOptions(limits: limits))
    }
}
