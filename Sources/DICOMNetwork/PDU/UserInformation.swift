/// SCP/SCU role selection for one SOP class (PS3.7 §D.3.3.4).
public struct RoleSelection: Sendable, Equatable {
    public var sopClassUID: String
    public var scuRole: Bool
    public var scpRole: Bool

    public init(sopClassUID: String, scuRole: Bool, scpRole: Bool) {
        self.sopClassUID = sopClassUID
        self.scuRole = scuRole
        self.scpRole = scpRole
    }
}

/// The user information item of an association PDU (PS3.8 §9.3.2.3, PS3.7 Annex D).
public struct UserInformation: Sendable, Equatable {
    /// Largest P-DATA-TF variable field the sender can receive; 0 means no limit.
    public var maximumLength: UInt32
    public var implementationClassUID: String
    public var implementationVersionName: String?
    /// Asynchronous operations window: (invoked, performed); nil when not negotiated.
    public var asynchronousOperations: (invoked: UInt16, performed: UInt16)?
    public var roleSelections: [RoleSelection]
    /// Items this implementation does not interpret (extended negotiation, user identity…), kept as (type, value).
    public var otherItems: [OtherItem]

    /// A sub-item kept without interpretation.
    public struct OtherItem: Sendable, Equatable {
        public var type: UInt8
        public var value: [UInt8]
        public init(type: UInt8, value: [UInt8]) { self.type = type; self.value = value }
    }

    public init(maximumLength: UInt32 = 16384, implementationClassUID: String, implementationVersionName: String? = nil,
                asynchronousOperations: (invoked: UInt16, performed: UInt16)? = nil,
                roleSelections: [RoleSelection] = [], otherItems: [OtherItem] = []) {
        self.maximumLength = maximumLength
        self.implementationClassUID = implementationClassUID
        self.implementationVersionName = implementationVersionName
        self.asynchronousOperations = asynchronousOperations
        self.roleSelections = roleSelections
        self.otherItems = otherItems
    }

    public static func == (a: UserInformation, b: UserInformation) -> Bool {
        a.maximumLength == b.maximumLength && a.implementationClassUID == b.implementationClassUID
            && a.implementationVersionName == b.implementationVersionName
            && a.asynchronousOperations?.invoked == b.asynchronousOperations?.invoked
            && a.asynchronousOperations?.performed == b.asynchronousOperations?.performed
            && a.roleSelections == b.roleSelections && a.otherItems == b.otherItems
    }

    static func decode(_ reader: inout PDUReader) throws(DICOMNetworkError) -> UserInformation {
        var info = UserInformation(maximumLength: 0, implementationClassUID: "")
        while !reader.isAtEnd {
            let type = try reader.uint8("a user information sub-item type")
            _ = try reader.uint8("a reserved byte")
            let length = Int(try reader.uint16("a sub-item length"))
            var sub = try reader.subReader(length, context: "user information sub-item \(hex(type))")
            switch type {
            case 0x51:
                guard length == 4 else { throw sub.failure("maximum length item must hold 4 bytes, holds \(length)") }
                info.maximumLength = try sub.uint32("the maximum length")
            case 0x52:
                info.implementationClassUID = try sub.text(length, "the implementation class UID")
            case 0x55:
                info.implementationVersionName = try sub.text(length, "the implementation version name")
            case 0x53:
                guard length == 4 else { throw sub.failure("asynchronous operations item must hold 4 bytes, holds \(length)") }
                info.asynchronousOperations = (try sub.uint16("invoked operations"), try sub.uint16("performed operations"))
            case 0x54:
                let uidLength = Int(try sub.uint16("the role selection UID length"))
                let uid = try sub.text(uidLength, "the role selection SOP class UID")
                let scu = try sub.uint8("the SCU role")
                let scp = try sub.uint8("the SCP role")
                guard sub.isAtEnd else { throw sub.failure("role selection item has trailing bytes") }
                info.roleSelections.append(RoleSelection(sopClassUID: uid, scuRole: scu == 1, scpRole: scp == 1))
            default:
                // Extended negotiation (0x56, 0x57), user identity (0x58, 0x59) and unknown items are kept, not interpreted.
                info.otherItems.append(OtherItem(type: type, value: try sub.bytes(length, "the sub-item value")))
            }
        }
        return info
    }

    func encode(into w: inout PDUWriter) {
        let start = w.beginItem(0x50)
        var max = PDUWriter(); max.uint32(maximumLength)
        w.item(0x51, max.bytes)
        w.item(0x52, Array(implementationClassUID.utf8))
        if let (invoked, performed) = asynchronousOperations {
            var v = PDUWriter(); v.uint16(invoked); v.uint16(performed)
            w.item(0x53, v.bytes)
        }
        for role in roleSelections {
            var v = PDUWriter()
            let uid = Array(role.sopClassUID.utf8)
            v.uint16(UInt16(clamping: uid.count)); v.append(uid)
            v.uint8(role.scuRole ? 1 : 0); v.uint8(role.scpRole ? 1 : 0)
            w.item(0x54, v.bytes)
        }
        if let name = implementationVersionName {
            w.item(0x55, Array(name.utf8.prefix(16)))
        }
        for other in otherItems { w.item(other.type, other.value) }
        w.endItem(start)
    }
}
