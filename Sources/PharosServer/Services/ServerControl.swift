import Foundation

/// Why the server stopped serving.
public enum StopReason: Sendable, Equatable {
    /// SIGTERM or SIGINT.
    case signal(Int32)
    /// `POST /tools/shutdown`.
    case shutdown
    /// `POST /tools/reset`: the caller reads the configuration again and serves anew.
    case reset
}

/// Lets a REST call stop the server (`/tools/shutdown`) or restart it (`/tools/reset`) after its answer is sent.
final class ServerControl: Sendable {
    let requests: AsyncStream<StopReason>
    private let continuation: AsyncStream<StopReason>.Continuation

    init() { (requests, continuation) = AsyncStream.makeStream(of: StopReason.self) }

    /// Asks the server to stop; it finishes the requests in progress (this one's answer included) first.
    func request(_ reason: StopReason) { continuation.yield(reason) }
}
