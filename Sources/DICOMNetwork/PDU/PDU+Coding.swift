extension PDU {
    /// Decodes a PDU from its type byte and its variable part (the bytes after the 6-byte header).
    public static func decode(type: UInt8, body: [UInt8]) throws(DICOMNetworkError) -> PDU {
        guard let pduType = PDUType(rawValue: type) else {
            throw DICOMNetworkError(.malformedPDU, "Unknown PDU type \(hex(type))")
        }
        switch pduType {
        case .associateRQ: return .associateRQ(try AssociateRequest(decoding: body))
        case .associateAC: return .associateAC(try AssociateAccept(decoding: body))
        case .dataTF: return .dataTF(try PDV.decodeAll(body))
        case .associateRJ, .abort, .releaseRQ, .releaseRP:
            // Fixed-length PDUs have exactly 4 bytes of variable part (PS3.8 §9.3.4, 9.3.6–9.3.8).
            guard body.count == 4 else {
                throw DICOMNetworkError(.malformedPDU, "Malformed PDU type \(hex(type)): length \(body.count), expected 4")
            }
            switch pduType {
            case .associateRJ: return .associateRJ(AssociateReject(result: body[1], source: body[2], reason: body[3]))
            case .abort: return .abort(Abort(source: body[2], reason: body[3]))
            case .releaseRQ: return .releaseRQ
            default: return .releaseRP
            }
        }
    }

    /// Decodes one whole PDU (header and body), refusing a length that disagrees with the bytes given.
    public static func decode(_ bytes: [UInt8]) throws(DICOMNetworkError) -> PDU {
        var r = PDUReader(bytes, context: "PDU")
        let type = try r.uint8("the PDU type")
        _ = try r.uint8("a reserved byte")
        let length = Int(try r.uint32("the PDU length"))
        guard length == r.remaining else {
            throw r.failure("PDU length \(length) but \(r.remaining) bytes follow the header")
        }
        return try decode(type: type, body: try r.bytes(length, "the PDU body"))
    }

    /// The variable part of this PDU.
    func encodeBody() -> [UInt8] {
        switch self {
        case .associateRQ(let rq): return rq.encodeBody()
        case .associateAC(let ac): return ac.encodeBody()
        case .associateRJ(let rj): return [0, rj.result, rj.source, rj.reason]
        case .dataTF(let pdvs):
            var w = PDUWriter()
            for pdv in pdvs {
                w.uint32(UInt32(clamping: pdv.data.count + 2))
                w.uint8(pdv.presentationContextID)
                w.uint8((pdv.isCommand ? 1 : 0) | (pdv.isLast ? 2 : 0))
                w.append(pdv.data)
            }
            return w.bytes
        case .releaseRQ, .releaseRP: return [0, 0, 0, 0]
        case .abort(let a): return [0, 0, a.source, a.reason]
        }
    }

    /// The whole PDU: type, reserved byte, 32-bit big endian length, variable part.
    public func encoded() -> [UInt8] {
        let body = encodeBody()
        var w = PDUWriter()
        w.uint8(type.rawValue); w.uint8(0); w.uint32(UInt32(clamping: body.count))
        w.append(body)
        return w.bytes
    }
}
