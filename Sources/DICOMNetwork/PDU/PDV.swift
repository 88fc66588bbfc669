/// A presentation data value item of a P-DATA-TF PDU (PS3.8 §9.3.5.1, message control header in Annex E.2).
public struct PDV: Sendable, Equatable {
    public var presentationContextID: UInt8
    /// A command set fragment (else a data set fragment).
    public var isCommand: Bool
    /// The last fragment of its command set or data set.
    public var isLast: Bool
    public var data: [UInt8]

    public init(presentationContextID: UInt8, isCommand: Bool, isLast: Bool, data: [UInt8]) {
        self.presentationContextID = presentationContextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.data = data
    }

    static func decodeAll(_ body: [UInt8]) throws(DICOMNetworkError) -> [PDV] {
        var r = PDUReader(body, context: "P-DATA-TF")
        var pdvs: [PDV] = []
        while !r.isAtEnd {
            let length = Int(try r.uint32("a PDV item length"))
            guard length >= 2 else { throw r.failure("PDV item length \(length) is shorter than its 2-byte header") }
            var item = try r.subReader(length, context: "PDV item")
            let id = try item.uint8("the presentation context ID")
            let header = try item.uint8("the message control header")
            let data = try item.bytes(length - 2, "the PDV value")
            pdvs.append(PDV(presentationContextID: id, isCommand: header & 0x01 != 0, isLast: header & 0x02 != 0, data: data))
        }
        guard !pdvs.isEmpty else { throw r.failure("no PDV item") }
        return pdvs
    }
}
