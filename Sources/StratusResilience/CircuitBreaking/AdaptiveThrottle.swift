import StratusNet
import Synchronization

/// Client-side adaptive throttling from Google's SRE book ("Handling
/// Overload", chapter 21): the client rejects a request locally with
/// probability max(0, (requests − K × accepts) / (requests + 1)), counted
/// over a rolling window. With K = 2 the backend still sees about twice the
/// traffic it accepts, enough to notice when it recovers. go-zero and
/// Kratos use the same rule.
///
/// Thread safety: the window is behind a `Mutex`; a decision allocates nothing.
public final class AdaptiveThrottle: Sendable {
    private struct Counts {
        var requests = 0
        var accepts = 0
    }

    public let multiplier: Double
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let random: @Sendable () -> Double
    private let window: Mutex<RollingBuckets<Counts>>

    /// - Parameters:
    ///   - multiplier: K, at least 1; default 2. Lower rejects sooner.
    ///   - window: the counting window, default 2 minutes, kept in 10 buckets.
    ///   - random: a uniform value in [0, 1); tests pass a fixed sequence.
    public init(
        multiplier: Double = 2,
        window: Duration = .seconds(120),
        mode: EnforcementMode = .enforce,
        clock: ResilienceClock = .system,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        precondition(multiplier >= 1, "invalid adaptive throttle multiplier \(multiplier): expected at least 1")
        precondition(window.nanoseconds >= 10_000_000, "invalid adaptive throttle window \(window): expected at least 10 ms")
        self.multiplier = multiplier
        self.mode = mode
        self.clock = clock
        self.random = random
        self.window = Mutex(RollingBuckets(count: 10, window: window, empty: Counts(), now: clock.now()))
    }

    /// The probability that the next request is rejected.
    public var rejectionProbability: Double {
        let now = clock.now()
        return window.withLock { window in
            window.advance(to: now)
            return probability(window)
        }
    }

    /// Decides about a request. An admitted request must be followed by
    /// `record(accepted:)` with whether the backend accepted it.
    public func admit() -> PolicyDecision {
        let now = clock.now()
        let draw = random()
        let decision = window.withLock { window -> PolicyDecision in
            window.advance(to: now)
            let rejected = draw < probability(window)
            window.newest.requests += 1
            return rejected ? .rejected(retryAfter: .zero) : .admitted
        }
        return counters.apply(decision, mode: mode)
    }

    /// Records whether the backend accepted an admitted request. Count a
    /// response that shows overload (503, 429, a timeout) as not accepted.
    public func record(accepted: Bool) {
        guard accepted else { return }
        let now = clock.now()
        window.withLock { window in
            window.advance(to: now)
            window.newest.accepts += 1
        }
    }

    private func probability(_ window: RollingBuckets<Counts>) -> Double {
        var requests = 0
        var accepts = 0
        for bucket in window.buckets {
            requests += bucket.requests
            accepts += bucket.accepts
        }
        return max(0, (Double(requests) - multiplier * Double(accepts)) / Double(requests + 1))
    }
}
