import Foundation

/// Orthanc's timestamps: "YYYYMMDDTHHMMSS" in UTC.
enum Timestamp {
    static func now() -> Double { Date().timeIntervalSince1970 }

    static func format(_ seconds: Double) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
        return String(parts.tm_year + 1900) + two(parts.tm_mon + 1) + two(parts.tm_mday) + "T"
            + two(parts.tm_hour) + two(parts.tm_min) + two(parts.tm_sec)
    }
}
