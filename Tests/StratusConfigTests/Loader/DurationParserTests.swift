import Testing
@testable import StratusConfig

@Suite struct DurationParserTests {
    static let valid: [(String, Duration)] = [
        ("0", .zero),
        ("0s", .zero),
        ("250ms", .milliseconds(250)),
        ("5s", .seconds(5)),
        ("1m30s", .seconds(90)),
        ("2h", .seconds(7200)),
        ("1.5h", .seconds(5400)),
        ("0.5s", .milliseconds(500)),
        (".25s", .milliseconds(250)),
        ("10ns", .nanoseconds(10)),
        ("100us", .microseconds(100)),
        ("100µs", .microseconds(100)),
        ("1h2m3s4ms", .milliseconds(3_723_004)),
        ("30s1m", .seconds(90)),
        ("1.000000001s", .nanoseconds(1_000_000_001)),
        ("2562047h", .seconds(2_562_047 * 3600)),
    ]

    @Test(arguments: valid)
    func validDuration(text: String, expected: Duration) throws {
        #expect(try DurationParser.parse(text).get() == expected)
    }

    static let invalid: [(String, String)] = [
        ("", "the duration is empty"),
        ("5", "the number has no unit; write 5s for seconds or 5ms for milliseconds"),
        ("-5s", "a duration cannot be negative"),
        ("5sec", "unknown unit \"sec\"; use ns, us, ms, s, m or h"),
        ("5d", "unknown unit \"d\"; use ns, us, ms, s, m or h"),
        ("5 s", "unknown unit \" s\"; use ns, us, ms, s, m or h"),
        ("5S", "unknown unit \"S\"; use ns, us, ms, s, m or h"),
        ("s", "\"s\" has no number before it; write a number and a unit, such as 5s"),
        ("+5s", "\"+\" has no number before it; write a number and a unit, such as 5s"),
        ("1m30", "the number 30 has no unit; use ns, us, ms, s, m or h"),
        ("1.5", "the number 1.5 has no unit; use ns, us, ms, s, m or h"),
        ("9999999999h", "the duration is longer than the maximum of about 292 years"),
        ("99999999999999999999s", "the duration is longer than the maximum of about 292 years"),
        ("2562047h2562047h", "the duration is longer than the maximum of about 292 years"),
    ]

    @Test(arguments: invalid)
    func invalidDuration(text: String, reason: String) {
        #expect(DurationParser.parse(text) == .failure(DurationParser.SyntaxError(reason: reason)))
    }
}
