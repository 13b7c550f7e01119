import StratusNet
import Synchronization

/// Client-side adaptive throttling from Google's SRE book ("Handling
/// Overload", chapter 21): the client rejects a request locally with
/// probability max(0, (requests − K × accepts) / (requests + 1)), counted
/// over a rolling window. With K = 2 the backend still sees about twice the
/// traffic it accepts, enough to notice when it recovers. go-zero and
/// Kratos use the same rule.
///
/// Thread safety: the window is behind a `Mutex`; a decision allocates
/// nothing, and draws a random number only while the probability is above 0.
public final class AdaptiveThrottle: Sendable {
    private struct Counts {
        var requests = 0
        var accepts = 0
    }

    private struct Window {
        var buckets: RollingBuckets<Counts>
        var generator: SplitMix64
    }

    public let multiplier: Double
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let random: (@Sendable () -> Double)?
    private let window: Mutex<Window>

    /// - Parameters:
    ///   - multiplier: K, at least 1; default 2. Lower rejects sooner.
    ///   - window: the counting window, default 2 minutes, kept in 10 buckets.
    ///   - random: a uniform value in [0, 1); tests pass a fixed sequence.
    ///     By default a SplitMix64 generator seeded from the system one.
    public init(
        multiplier: Double = 2,
        window: Duration = .seconds(120),
        mode: EnforcementMode = .enforce,
        clock: ResilienceClock = .system,
        random: (@Sendable () -> Double)? = nil
    ) {
        precondition(multiplier >= 1, "invalid adaptive throttle multiplier \(multiplier): expected at least 1")
        precondition(window.nanoseconds >= 10_000_000, "invalid adaptive throttle window \(window): expected at least 10 ms")
        self.multiplier = multiplier
        self.mode = mode
        self.clock = clock
        self.random = random
        let buckets = RollingBuckets(count: 10, window: window, empty: Counts(), now: clock.now())
        self.window = Mutex(Window(buckets: buckets, generator: .seeded()))
    }

    /// The probability that the next request is rejected.
    public var rejectionProbability: Double {
        let now = clock.now()
        return window.withLock { window in
            window.buckets.advance(to: now)
            return probability(window.buckets)
        }
    }

    /// Decides about a request. An admitted request must be followed by
    /// `record(accepted:)` with whether the backend accepted it.
    public func admit() -> PolicyDecision {
        let now = clock.now()
        let decision = window.withLock { window -> PolicyDecision in
            window.buckets.advance(to: now)
            let rejection = probability(window.buckets)
            window.buckets.newest.requests += 1
            guard rejection > 0 else { return .admitted }
            let draw = random?() ?? window.generator.nextUnit()
            return draw < rejection ? .rejected(retryAfter: .zero) : .admitted
        }
        return counters.apply(decision, mode: mode)
    }

    /// Records whether the backend accepted an admitted request. Count a
    /// response that shows overload (503, 429, a timeout) as not accepted.
    public func record(accepted: Bool) {
        guard accepted else { return }
        let now = clock.now()
        window.withLock { window in
            window.buckets.advance(to: now)
            window.buckets.newest.accepts += 1
        }
    }

    private func probability(_ buckets: borrowing RollingBuckets<Counts>) -> Double {
        var requests = 0
        var accepts = 0
        for bucket in buckets.buckets {
            requests += bucket.requests
            accepts += bucket.accepts
        }
        return max(0, (Double(requests) - multiplier * Double(accepts)) / Double(requests + 1))
    }
}
