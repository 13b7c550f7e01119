import Glibc
import Testing
@testable import StratusLog

@Suite struct UTCTimestampTests {
    /// Formats with the C library's `gmtime_r` and `strftime`, the reference
    /// that the arithmetic must match.
    private func formatWithGmtime(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var fields = tm()
        gmtime_r(&time, &fields)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &fields)
        let prefix = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millisecondDigits = String(milliseconds)
        return prefix + "." + String(repeating: "0", count: 3 - millisecondDigits.count) + millisecondDigits + "Z"
    }

    @Test func matchesGmtime() {
        // Steps of about 3.3 days, not a whole number of days or hours,
        // sample dates and times of day from 1900 to 2400.
        let start = -2_208_988_800
        let end = 13_569_465_600
        for seconds in stride(from: start, to: end, by: 287_953) {
            let milliseconds = abs(seconds) % 1000
            #expect(UTCTimestamp.format(seconds: time_t(seconds), milliseconds: milliseconds) == formatWithGmtime(seconds: seconds, milliseconds: milliseconds))
        }
    }

    @Test func leapDayBoundaries() {
        let cases: [(Int, String)] = [
            (951_782_400, "2000-02-29T00:00:00.000Z"),
            (951_868_800, "2000-03-01T00:00:00.000Z"),
            (4_107_542_400, "2100-03-01T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.000Z"),
        ]
        for (seconds, expected) in cases {
            #expect(UTCTimestamp.format(seconds: time_t(seconds), milliseconds: 0) == expected)
        }
    }

    @Test func appendWritesSameText() {
        let instant = UTCTimestamp.Instant(seconds: 1_796_413_800, milliseconds: 7)
        var bytes: [UInt8] = [UInt8(ascii: ">")]
        UTCTimestamp.append(instant, to: &bytes)

        #expect(String(decoding: bytes, as: UTF8.self) == ">2026-12-04T19:50:00.007Z")
    }
}
