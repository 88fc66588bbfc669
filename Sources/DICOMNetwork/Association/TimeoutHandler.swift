import NIOCore

/// The ARTIM timer and the inactivity timeout (PS3.8 §9.1.5): when nothing is read or written for the current
/// period, the association is aborted and the connection closed. The first period (waiting for the first PDU)
/// may differ from the following ones.
final class TimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = PDU
    typealias InboundOut = PDU
    typealias OutboundIn = PDU
    typealias OutboundOut = PDU

    private let firstTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var scheduled: Scheduled<Void>?
    private var seenFirstPDU = false

    init(firstTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.firstTimeout = firstTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, firstTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, firstTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seenFirstPDU = true
        arm(context, idleTimeout)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if seenFirstPDU { arm(context, idleTimeout) }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, _ amount: TimeAmount) {
        scheduled?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let sendAbort = seenFirstPDU
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: amount) {
            let context = loopBound.value
            if sendAbort {
                context.writeAndFlush(NIOAny(PDU.abort(Abort(source: 2, reason: 0))), promise: nil)
            }
            context.close(promise: nil)
        }
    }
}
