import Foundation
import NIOConcurrencyHelpers

/// What `/tools/metrics-prometheus` reports beyond the index's totals: the REST requests being answered, and
/// whether metrics are on at all (`MetricsEnabled`, `PUT /tools/metrics`).
final class Metrics: Sendable {
    private let state: NIOLockedValueBox<(enabled: Bool, activeRequests: Int)>

    init(enabled: Bool) { state = NIOLockedValueBox((enabled, 0)) }

    var enabled: Bool { state.withLockedValue { $0.enabled } }
    func setEnabled(_ on: Bool) { state.withLockedValue { $0.enabled = on } }

    var activeRequests: Int { state.withLockedValue { $0.activeRequests } }
    func requestBegan() { state.withLockedValue { $0.activeRequests += 1 } }
    func requestEnded() { state.withLockedValue { $0.activeRequests -= 1 } }

    /// Prometheus' text exposition format: one `name value timestamp` line per metric, as Orthanc writes them.
    static func prometheus(_ values: [(String, Double)], at date: Date = Date()) -> String {
        let milliseconds = Int64(date.timeIntervalSince1970 * 1000)
        return values.map { name, value in
            let number = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            return "\(name) \(number) \(milliseconds)\n"
        }.joined()
    }
}
