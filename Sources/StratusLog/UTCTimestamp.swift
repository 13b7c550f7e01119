#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 timestamps in UTC with milliseconds (`2026-12-04T19:50:00.123Z`),
/// formatted without Foundation so that logging adds no Foundation
/// dependency.
///
/// The calendar date is computed here with integer arithmetic instead of
/// with `gmtime_r`, because log handlers format a timestamp for every event
/// and the arithmetic needs no call into the C library.
package enum UTCTimestamp {
    /// A wall-clock time, to be formatted later.
    package struct Instant: Sendable, Equatable {
        /// Seconds since the Unix epoch.
        package var seconds: Int
        /// 0 to 999.
        package var milliseconds: Int

        package init(seconds: Int, milliseconds: Int) {
            self.seconds = seconds
            self.milliseconds = milliseconds
        }
    }

    /// The number of bytes in a timestamp of a year from 0 to 9999.
    static let length = 24

    /// Returns the current wall-clock time.
    package static func currentInstant() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(seconds: Int(time.tv_sec), milliseconds: Int(time.tv_nsec) / 1_000_000)
    }

    /// Returns the current wall-clock time, formatted.
    package static func now() -> String {
        format(currentInstant())
    }

    /// Formats `seconds` since the Unix epoch plus `milliseconds`.
    static func format(seconds: time_t, milliseconds: Int) -> String {
        format(Instant(seconds: Int(seconds), milliseconds: milliseconds))
    }

    package static func format(_ instant: Instant) -> String {
        withFormatted(instant) { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends `instant` formatted.
    package static func append(_ instant: Instant, to bytes: inout [UInt8]) {
        withFormatted(instant) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with the formatted `instant`, written into stack memory
    /// so that formatting allocates nothing.
    package static func withFormatted<Result>(_ instant: Instant, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let days = floorDivide(instant.seconds, 86_400)
        let secondOfDay = instant.seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year) else {
            return withWideYear(date, secondOfDay: secondOfDay, milliseconds: instant.milliseconds, body)
        }
        // 32 bytes of scratch space, room for the 24 of the timestamp.
        var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw in
            let text = raw.bindMemory(to: UInt8.self)
            writeDigits(date.year, count: 4, into: text, at: 0)
            text[4] = UInt8(ascii: "-")
            writeDigits(date.month, count: 2, into: text, at: 5)
            text[7] = UInt8(ascii: "-")
            writeDigits(date.day, count: 2, into: text, at: 8)
            text[10] = UInt8(ascii: "T")
            writeDigits(secondOfDay / 3600, count: 2, into: text, at: 11)
            text[13] = UInt8(ascii: ":")
            writeDigits(secondOfDay / 60 % 60, count: 2, into: text, at: 14)
            text[16] = UInt8(ascii: ":")
            writeDigits(secondOfDay % 60, count: 2, into: text, at: 17)
            text[19] = UInt8(ascii: ".")
            writeDigits(instant.milliseconds, count: 3, into: text, at: 20)
            text[23] = UInt8(ascii: "Z")
            return body(UnsafeBufferPointer(rebasing: text[..<length]))
        }
    }

    /// Writes the last `count` decimal digits of `value`, which is not
    /// negative, with leading zeros.
    private static func writeDigits(_ value: Int, count: Int, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var remainder = value
        for index in (offset..<offset + count).reversed() {
            text[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder % 10)
            remainder /= 10
        }
    }

    /// Formats a year outside 0 to 9999, which no clock of a running service
    /// reports, with `String` instead of fixed positions.
    private static func withWideYear<Result>(
        _ date: CivilDate,
        secondOfDay: Int,
        milliseconds: Int,
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value.magnitude)
            let sign = value < 0 ? "-" : ""
            return sign + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
        text += "T" + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2)
        text += ":" + padded(secondOfDay % 60, 2) + "." + padded(milliseconds, 3) + "Z"
        return text.withUTF8(body)
    }
}

/// A proleptic Gregorian calendar date.
private struct CivilDate {
    var year: Int
    var month: Int
    var day: Int

    /// Converts a day count since 1970-01-01.
    ///
    /// The count is shifted to start at 0000-03-01, so that the leap day is
    /// the last day of its year. Days then fall into 400-year eras of 146,097
    /// days that all have the same shape. Within an era, a year has 365 days
    /// plus one every 4 years, minus one every 100 and plus one every 400.
    /// Months from March have lengths that `(153 * month + 2) / 5` counts.
    init(daysSinceEpoch days: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}

/// Divides rounding toward negative infinity, so that times before the
/// epoch fall on the day they belong to.
private func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
}
