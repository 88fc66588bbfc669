import DICOM

/// Command group element tags (PS3.7 §E.1).
public enum CommandTag {
    public static let groupLength = Tag(0x0000, 0x0000)
    public static let affectedSOPClassUID = Tag(0x0000, 0x0002)
    public static let requestedSOPClassUID = Tag(0x0000, 0x0003)
    public static let commandField = Tag(0x0000, 0x0100)
    public static let messageID = Tag(0x0000, 0x0110)
    public static let messageIDBeingRespondedTo = Tag(0x0000, 0x0120)
    public static let moveDestination = Tag(0x0000, 0x0600)
    public static let priority = Tag(0x0000, 0x0700)
    public static let commandDataSetType = Tag(0x0000, 0x0800)
    public static let status = Tag(0x0000, 0x0900)
    public static let offendingElement = Tag(0x0000, 0x0901)
    public static let errorComment = Tag(0x0000, 0x0902)
    public static let affectedSOPInstanceUID = Tag(0x0000, 0x1000)
    public static let requestedSOPInstanceUID = Tag(0x0000, 0x1001)
    public static let remainingSubOperations = Tag(0x0000, 0x1020)
    public static let completedSubOperations = Tag(0x0000, 0x1021)
    public static let failedSubOperations = Tag(0x0000, 0x1022)
    public static let warningSubOperations = Tag(0x0000, 0x1023)
    public static let moveOriginatorAETitle = Tag(0x0000, 0x1030)
    public static let moveOriginatorMessageID = Tag(0x0000, 0x1031)

    /// VRs of the command elements, since implicit VR carries none (PS3.7 Table E.1-1).
    static func vr(_ tag: Tag) -> VR {
        switch tag.element {
        case 0x0000: .UL
        case 0x0002, 0x0003, 0x1000, 0x1001: .UI
        case 0x0600, 0x1030: .AE
        case 0x0901: .AT
        case 0x0902: .LO
        default: .US
        }
    }
}

/// A DIMSE command set (PS3.7 §6.3): group 0000 elements, always implicit VR little endian on the wire.
public struct CommandSet: Sendable, Equatable {
    /// The command elements (group 0000).
    public var dataSet: DataSet

    public init(_ dataSet: DataSet = DataSet()) { self.dataSet = dataSet }

    /// "No data set follows" value of Command Data Set Type.
    public static let noDataSet: UInt16 = 0x0101

    public var commandField: CommandField? { uint16(CommandTag.commandField).flatMap(CommandField.init(rawValue:)) }
    public var messageID: UInt16? { uint16(CommandTag.messageID) }
    public var messageIDBeingRespondedTo: UInt16? { uint16(CommandTag.messageIDBeingRespondedTo) }
    public var hasDataSet: Bool { (uint16(CommandTag.commandDataSetType) ?? Self.noDataSet) != Self.noDataSet }
    public var status: DIMSEStatus? { uint16(CommandTag.status).map(DIMSEStatus.init(rawValue:)) }
    public var affectedSOPClassUID: String? { string(CommandTag.affectedSOPClassUID) }
    public var requestedSOPClassUID: String? { string(CommandTag.requestedSOPClassUID) }
    public var affectedSOPInstanceUID: String? { string(CommandTag.affectedSOPInstanceUID) }
    public var moveDestination: String? { string(CommandTag.moveDestination) }
    public var priority: UInt16 { uint16(CommandTag.priority) ?? 0 }

    /// The SOP class the request addresses (affected, else requested).
    public var sopClassUID: String? { affectedSOPClassUID ?? requestedSOPClassUID }

    public func uint16(_ tag: Tag) -> UInt16? {
        guard let b = dataSet[tag]?.bytes, b.count >= 2 else { return nil }
        return UInt16(b[0]) | UInt16(b[1]) << 8
    }

    public func string(_ tag: Tag) -> String? {
        guard let e = dataSet[tag] else { return nil }
        return PDUReader.trimmed(e.bytes)
    }

    public mutating func set(_ tag: Tag, _ value: UInt16) { dataSet.set(.uint16(tag, [value])) }

    public mutating func set(_ tag: Tag, _ value: String) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(CommandTag.vr(tag) == .UI ? 0 : 0x20) }
        dataSet.set(DataElement(tag: tag, vr: CommandTag.vr(tag), bytes: bytes))
    }

    /// A command with its field, a message ID (or the ID responded to), and whether a data set follows.
    public init(_ field: CommandField, messageID: UInt16, hasDataSet: Bool) {
        self.init()
        set(CommandTag.commandField, field.rawValue)
        set(field.isResponse ? CommandTag.messageIDBeingRespondedTo : CommandTag.messageID, messageID)
        set(CommandTag.commandDataSetType, hasDataSet ? 0x0000 : Self.noDataSet)
    }

    /// Implicit VR little endian bytes with the command group length first.
    public func encoded() throws -> [UInt8] {
        try dataSet.serialized(transferSyntax: .implicitVRLittleEndian)
    }

    /// Reads a command set: implicit VR little endian elements of group 0000, every length checked.
    public static func decode(_ bytes: [UInt8]) throws(DICOMNetworkError) -> CommandSet {
        var elements: [DataElement] = []
        var i = 0
        func fail(_ what: String) -> DICOMNetworkError {
            DICOMNetworkError(.malformedMessage, "Malformed DIMSE command set: \(what) at byte \(i)")
        }
        while i < bytes.count {
            guard bytes.count - i >= 8 else { throw fail("an element header is truncated") }
            let group = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
            let element = UInt16(bytes[i + 2]) | UInt16(bytes[i + 3]) << 8
            let length = Int(UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16
                             | UInt32(bytes[i + 7]) << 24)
            guard group == 0x0000 else { throw fail("element (\(hex16(group)),\(hex16(element))) is not in group 0000") }
            guard length <= bytes.count - i - 8 else {
                throw fail("element (0000,\(hex16(element))) declares \(length) bytes, \(bytes.count - i - 8) remain")
            }
            let tag = Tag(group, element)
            elements.append(DataElement(tag: tag, vr: CommandTag.vr(tag), bytes: Array(bytes[i + 8 ..< i + 8 + length])))
            i += 8 + length
        }
        let command = CommandSet(DataSet(elements))
        guard command.commandField != nil else {
            throw DICOMNetworkError(.malformedMessage, "DIMSE command set has no known Command Field (0000,0100)")
        }
        return command
    }
}
