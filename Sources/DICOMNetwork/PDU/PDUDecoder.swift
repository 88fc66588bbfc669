import NIOCore

/// Frames PDUs out of the byte stream (PS3.8 §9.3.1): a 6-byte header with a 32-bit length, refusing a length over
/// the maximum before any of the body is buffered.
public struct PDUDecoder: ByteToMessageDecoder {
    public typealias InboundOut = PDU

    /// Largest PDU variable part accepted.
    public let maximumLength: Int

    public init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes >= 6,
              let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length32 = buffer.getInteger(at: buffer.readerIndex + 2, endianness: .big, as: UInt32.self)
        else { return .needMoreData }
        guard PDUType(rawValue: type) != nil else {
            throw DICOMNetworkError(.malformedPDU, "Unknown PDU type \(hex(type))")
        }
        let length = Int(length32)
        guard length <= maximumLength else {
            throw DICOMNetworkError(.pduTooLong, "PDU of \(length) bytes exceeds the maximum of \(maximumLength)")
        }
        guard buffer.readableBytes >= 6 + length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 6)
        guard let body = buffer.readBytes(length: length) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(try PDU.decode(type: type, body: body)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        // Bytes of an incomplete PDU left at close are dropped: the association is gone anyway.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.clear()
        return .needMoreData
    }
}

/// Writes PDUs as bytes, a whole run of them (a message's fragments, a batch of answers) into one buffer.
public struct PDUEncoder: MessageToByteEncoder {
    public typealias OutboundIn = [PDU]

    public init() {}

    public func encode(data: [PDU], out: inout ByteBuffer) throws {
        for pdu in data { encode(pdu, into: &out) }
    }

    private func encode(_ data: PDU, into out: inout ByteBuffer) {
        if case .dataTF(let pdvs) = data {
            // The hot path: write straight into the buffer instead of building an intermediate array.
            let length = pdvs.reduce(0) { $0 + 6 + $1.data.count }
            out.reserveCapacity(out.writerIndex + 6 + length)
            out.writeInteger(PDUType.dataTF.rawValue)
            out.writeInteger(UInt8(0))
            out.writeInteger(UInt32(clamping: length), endianness: .big)
            for pdv in pdvs {
                out.writeInteger(UInt32(clamping: pdv.data.count + 2), endianness: .big)
                out.writeInteger(pdv.presentationContextID)
                out.writeInteger(UInt8((pdv.isCommand ? 1 : 0) | (pdv.isLast ? 2 : 0)))
                out.writeBytes(pdv.data)
            }
            return
        }
        out.writeBytes(data.encoded())
    }
}
