/// The `Stratus-Timeout` request header, which carries a caller's remaining
/// time budget to the service it calls.
///
/// Format: the budget in whole milliseconds, as 1 to 8 ASCII digits
/// (`Stratus-Timeout: 250`), so at most 99,999,999 ms (about 27.8 hours).
/// gRPC's `grpc-timeout` has the same 8-digit limit. The value is relative,
/// so the clocks of the two hosts need not agree. The callee starts
/// counting when the request arrives, so the time in transit is not
/// charged to it.
///
/// `0` is valid and means the budget is used up, so `DeadlineMiddleware`
/// responds 504 without running the handler.
public enum DeadlineHeader {
    public static let name = "Stratus-Timeout"
    /// The largest value the header can carry, in milliseconds.
    public static let maxMilliseconds: Int64 = 99_999_999
    /// The format, as error messages state it.
    static let expectedFormat = "the remaining time in whole milliseconds, 1 to 8 ASCII digits, such as 250"

    /// Formats `remaining` in whole milliseconds, rounded down and clamped
    /// to 0 through `maxMilliseconds`.
    public static func format(_ remaining: Duration) -> String {
        let milliseconds = remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000
        return String(min(max(milliseconds, 0), maxMilliseconds))
    }

    /// Parses a header value; nil unless it is 1 to 8 ASCII digits.
    /// Surrounding spaces and tabs are allowed (RFC 9110, section 5.5).
    public static func parse(_ value: some StringProtocol) -> Duration? {
        let utf8 = Substring(value).utf8
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return nil
        }
        let digits = utf8[first...last]
        guard (1...8).contains(digits.count) else { return nil }
        var milliseconds: Int64 = 0
        for byte in digits {
            guard (0x30...0x39).contains(byte) else { return nil }
            milliseconds = milliseconds * 10 + Int64(byte - 0x30)
        }
        return .milliseconds(milliseconds)
    }
}
