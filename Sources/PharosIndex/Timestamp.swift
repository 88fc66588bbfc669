import Foundation

/// Orthanc's timestamps: "YYYYMMDDTHHMMSS", in UTC unless asked for local time.
public enum Timestamp {
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// `seconds` since 1970 in Orthanc's form; with `utc` false, in the server's time zone (`TZ`, /etc/localtime).
    public static func format(_ seconds: Double, utc: Bool = true) -> String {
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        // The C library rather than Calendar: Foundation's time zone machinery cost more than the rest of a request.
        if utc { gmtime_r(&t, &parts) } else { localtime_r(&t, &parts) }
        // Written digit by digit: every record of a listing formats one, and string interpolation was visible there.
        var out = [UInt8](repeating: UInt8(ascii: "0"), count: 15)
        func put(_ v: Int32, at end: Int, digits: Int) {
            var v = max(0, v)
            for i in stride(from: end, to: end - digits, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(parts.tm_year + 1900, at: 3, digits: 4)
        put(parts.tm_mon + 1, at: 5, digits: 2)
        put(parts.tm_mday, at: 7, digits: 2)
        out[8] = UInt8(ascii: "T")
        put(parts.tm_hour, at: 10, digits: 2)
        put(parts.tm_min, at: 12, digits: 2)
        put(parts.tm_sec, at: 14, digits: 2)
        return String(decoding: out, as: UTF8.self)
    }
}
