#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 timestamps in UTC with milliseconds (`2026-12-04T19:50:00.123Z`),
/// formatted with the C library instead of Foundation so that logging adds no
/// Foundation dependency.
package enum UTCTimestamp {
    /// Returns the current wall-clock time.
    package static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return format(seconds: time.tv_sec, milliseconds: Int(time.tv_nsec) / 1_000_000)
    }

    /// Formats `seconds` since the Unix epoch plus `milliseconds`.
    static func format(seconds: time_t, milliseconds: Int) -> String {
        var seconds = seconds
        var fields = tm()
        gmtime_r(&seconds, &fields)
        var text = ""
        text.reserveCapacity(24)
        appendPadded(Int(fields.tm_year) + 1900, width: 4, to: &text)
        text += "-"
        appendPadded(Int(fields.tm_mon) + 1, width: 2, to: &text)
        text += "-"
        appendPadded(Int(fields.tm_mday), width: 2, to: &text)
        text += "T"
        appendPadded(Int(fields.tm_hour), width: 2, to: &text)
        text += ":"
        appendPadded(Int(fields.tm_min), width: 2, to: &text)
        text += ":"
        appendPadded(Int(fields.tm_sec), width: 2, to: &text)
        text += "."
        appendPadded(milliseconds, width: 3, to: &text)
        text += "Z"
        return text
    }

    private static func appendPadded(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width {
            text += String(repeating: "0", count: width - digits.count)
        }
        text += digits
    }
}
