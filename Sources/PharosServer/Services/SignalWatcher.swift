import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// SIGTERM and SIGINT, watched once for the whole process: the server may stop and start again (`/tools/reset`),
/// and libdispatch installs its signal handler only for the first source of a signal.
final class SignalWatcher: @unchecked Sendable {
    static let shared = SignalWatcher()

    /// A signal that came while nobody waited, kept for the next waiter; and who waits.
    private let state = NIOLockedValueBox<(pending: Int32?, waiters: [UUID: CheckedContinuation<Int32?, Never>])>(
        (nil, [:]))
    // Kept for the life of the process: cancelling them would stop the watch.
    private let sources: [any DispatchSourceSignal]

    private init() {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: .global())
        }
        for (number, source) in zip([SIGTERM, SIGINT], sources) {
            source.setEventHandler { [unowned self] in deliver(number) }
            source.resume()
        }
    }

    private func deliver(_ number: Int32) {
        let waiters = state.withLockedValue { state in
            defer { state.waiters = [:] }
            if state.waiters.isEmpty { state.pending = number }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: number) }
    }

    /// The next SIGTERM or SIGINT (or one that came since the last wait); nil when the waiting task is cancelled.
    func next() async -> Int32? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: Int32?? = state.withLockedValue { state in
                    if let pending = state.pending {
                        state.pending = nil
                        return .some(pending)
                    }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }
}
