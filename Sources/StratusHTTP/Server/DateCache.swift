import Glibc

/// The `Date` header value (IMF-fixdate, RFC 9110, section 5.6.7), formatted
/// once per second per event loop instead of once per response.
struct DateCache {
    private var second: Int = -1
    private(set) var value: [UInt8] = []

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Returns the value for the current wall-clock second.
    mutating func current() -> [UInt8] {
        var now = time(nil)
        if now != second {
            second = now
            value = Array(Self.format(&now).utf8)
        }
        return value
    }

    static func format(_ seconds: inout time_t) -> String {
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(pad(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) GMT"
    }
}
