/// Parses durations written as numbers with units, such as `250ms`, `5s`,
/// `1m30s`, `1.5h`.
///
/// Units are `ns`, `us` (or `µs`), `ms`, `s`, `m` and `h`; parts may have a
/// fraction and add up. A bare `0` is zero. Another bare number is
/// rejected, because it leaves the unit to guess. Negative durations, signs
/// and spaces are rejected.
enum DurationParser {
    struct SyntaxError: Error, Equatable {
        var reason: String
    }

    private static let nanosecondsPerUnit: [String: Int64] = [
        "ns": 1,
        "us": 1_000,
        "µs": 1_000,
        "μs": 1_000,
        "ms": 1_000_000,
        "s": 1_000_000_000,
        "m": 60_000_000_000,
        "h": 3_600_000_000_000,
    ]

    static func parse(_ text: String) -> Result<Duration, SyntaxError> {
        if text == "0" {
            return .success(.zero)
        }
        if text.isEmpty {
            return .failure(SyntaxError(reason: "the duration is empty"))
        }
        if text.hasPrefix("-") {
            return .failure(SyntaxError(reason: "a duration cannot be negative"))
        }
        if text.allSatisfy(\.isASCIIDigit) {
            return .failure(SyntaxError(reason: "the number has no unit; write \(text)s for seconds or \(text)ms for milliseconds"))
        }
        var rest = Substring(text)
        var total: Int64 = 0
        while !rest.isEmpty {
            switch parsePart(&rest) {
            case .success(let nanoseconds):
                let (sum, overflow) = total.addingReportingOverflow(nanoseconds)
                guard !overflow else { return .failure(tooLong) }
                total = sum
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(.nanoseconds(total))
    }

    private static let tooLong = SyntaxError(reason: "the duration is longer than the maximum of about 292 years")

    /// Reads one `<number><unit>` part from the front of `rest`, in
    /// nanoseconds.
    private static func parsePart(_ rest: inout Substring) -> Result<Int64, SyntaxError> {
        let (whole, fraction) = CoreSchema.scanDecimal(&rest)
        let unit = rest.prefix { !$0.isASCIIDigit && $0 != "." }
        rest = rest.dropFirst(unit.count)
        guard !whole.isEmpty || !fraction.isEmpty else {
            return .failure(SyntaxError(reason: "\"\(unit)\" has no number before it; write a number and a unit, such as 5s"))
        }
        guard !unit.isEmpty else {
            return .failure(SyntaxError(reason: "the number \(whole)\(fraction.isEmpty ? "" : "." + fraction) has no unit; use ns, us, ms, s, m or h"))
        }
        guard let scale = nanosecondsPerUnit[String(unit)] else {
            return .failure(SyntaxError(reason: "unknown unit \"\(unit)\"; use ns, us, ms, s, m or h"))
        }
        guard let count = whole.isEmpty ? 0 : Int64(whole) else { return .failure(tooLong) }
        let (wholeNanoseconds, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return .failure(tooLong) }
        // The fraction goes through Double: exact to the nanosecond for
        // fractions of up to about 15 significant digits.
        let fractionNanoseconds = fraction.isEmpty ? 0 : Int64((Double("0." + fraction)! * Double(scale)).rounded())
        let (sum, sumOverflow) = wholeNanoseconds.addingReportingOverflow(fractionNanoseconds)
        return sumOverflow ? .failure(tooLong) : .success(sum)
    }
}
