import StratusNet

/// The delays between retries: a ceiling that doubles with each retry up to
/// `maximum`, and a delay drawn uniformly between zero and that ceiling
/// ("full jitter"), so that clients that failed together do not retry
/// together.
///
/// The ceiling before retry n (1 for the first retry) is
/// min(maximum, base × 2^(n − 1)).
public struct ExponentialBackoff: Sendable, Hashable {
    /// The ceiling of the first retry's delay. Default 25 ms.
    public var base: Duration
    /// The largest ceiling. Default 1 s.
    public var maximum: Duration

    public init(base: Duration = .milliseconds(25), maximum: Duration = .seconds(1)) {
        precondition(base >= .zero, "invalid backoff base \(base): expected zero or more")
        precondition(maximum >= base, "invalid backoff maximum \(maximum): expected at least the base \(base)")
        self.base = base
        self.maximum = maximum
    }

    /// Returns the ceiling of the delay before retry `retry` (1 for the
    /// first). A retry below 1 is treated as 1.
    public func ceiling(forRetry retry: Int) -> Duration {
        let doublings = min(max(retry, 1) - 1, 62)
        let baseNanoseconds = base.nanoseconds
        let maximumNanoseconds = maximum.nanoseconds
        let (scaled, overflow) = baseNanoseconds.multipliedReportingOverflow(by: 1 << UInt64(doublings))
        let nanoseconds = overflow ? maximumNanoseconds : min(scaled, maximumNanoseconds)
        return .nanoseconds(Int64(clamping: nanoseconds))
    }

    /// Draws the delay before retry `retry` from `generator`: uniform in
    /// zero through the ceiling. Pass a seeded generator to make it
    /// reproducible.
    public func delay(forRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(forRetry: retry).nanoseconds
        guard ceiling > 0 else { return .zero }
        return .nanoseconds(Int64(clamping: UInt64.random(in: 0...ceiling, using: &generator)))
    }

    /// Draws the delay before retry `retry` from the system's generator.
    public func delay(forRetry retry: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forRetry: retry, using: &generator)
    }
}
