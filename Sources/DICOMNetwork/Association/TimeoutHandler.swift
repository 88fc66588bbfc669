import NIOCore

/// The ARTIM timer and the inactivity timeout (PS3.8 §9.1.5): when nothing is read or written for the current
/// period, the association is aborted and the connection closed. The first period (waiting for the first PDU)
/// may differ from the following ones.
final class TimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = PDU
    typealias InboundOut = PDU
    typealias OutboundIn = [PDU]
    typealias OutboundOut = [PDU]

    private let firstTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// The one pending check, and when it runs. Reads and writes only move `lastActivity`: re-arming a timer on
    /// every PDU cost more than sending a C-FIND answer.
    private var scheduled: Scheduled<Void>?
    private var scheduledDeadline = NIODeadline.distantFuture
    private var period: TimeAmount
    private var lastActivity = NIODeadline.now()
    private var seenFirstPDU = false

    init(firstTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.firstTimeout = firstTimeout
        self.idleTimeout = idleTimeout
        self.period = firstTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { touch(context, firstTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        touch(context, firstTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seenFirstPDU = true
        touch(context, idleTimeout)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if seenFirstPDU { touch(context, idleTimeout) }
        context.write(data, promise: promise)
    }

    private func disarm() {
        scheduled?.cancel()
        scheduled = nil
        scheduledDeadline = .distantFuture
    }

    /// Records activity; the period restarts now.
    private func touch(_ context: ChannelHandlerContext, _ amount: TimeAmount) {
        period = amount
        lastActivity = .now()
        let due = lastActivity + amount
        // A later deadline is found when the pending check runs; only an earlier one needs a new timer.
        if scheduled == nil || due < scheduledDeadline { schedule(context, at: due) }
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        scheduled?.cancel()
        scheduledDeadline = deadline
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.expire(context)
        }
    }

    private func expire(_ context: ChannelHandlerContext) {
        scheduled = nil
        let due = lastActivity + period
        if due > .now() {
            schedule(context, at: due)
            return
        }
        scheduledDeadline = .distantFuture
        if seenFirstPDU {
            context.writeAndFlush(wrapOutboundOut([.abort(Abort(source: 2, reason: 0))]), promise: nil)
        }
        context.close(promise: nil)
    }
}
