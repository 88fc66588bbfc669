import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Acknowledges received data at once instead of after Linux's delayed-ACK timer (at least 40 ms).
///
/// A peer that leaves Nagle's algorithm on (DCMTK's storescu does) holds the short last segment of each message
/// until everything before it is acknowledged; with delayed ACKs that costs up to 40 ms per C-STORE. TCP_QUICKACK
/// is not sticky (the kernel may leave quick-ack mode on its own), so it is set again after each read.
final class QuickAckHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        #if os(Linux)
        try? context.channel.syncOptions?.setOption(Self.quickAck, value: 1)
        #endif
        context.fireChannelRead(data)
    }

    #if os(Linux)
    private static let quickAck = ChannelOptions.Types.SocketOption(
        level: .tcp, name: NIOBSDSocket.Option(rawValue: CInt(TCP_QUICKACK)))
    #endif
}
