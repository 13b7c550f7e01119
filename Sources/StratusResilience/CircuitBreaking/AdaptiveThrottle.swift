import StratusNet
import Synchronization

/// Client-side adaptive throttling from Google's SRE book ("Handling
/// Overload", chapter 21): the client rejects a request locally with
/// probability max(0, (requests − K × accepts) / (requests + 1)), counted
/// over a rolling window. With K = 2 the backend still sees about twice the
/// traffic it accepts, enough to notice when it recovers. go-zero and
/// Kratos use the same rule.
///
/// Thread safety: every method may be called from any thread. The counts
/// are atomic buckets, so a decision takes no lock and allocates nothing,
/// and it draws a random number only while the probability is above 0.
public final class AdaptiveThrottle: Sendable {
    public let multiplier: Double
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let random: (@Sendable () -> Double)?
    private let generator = AtomicSplitMix64()
    private let requests: AtomicBuckets
    private let accepts: AtomicBuckets

    /// - Parameters:
    ///   - multiplier: K, at least 1; default 2. Lower rejects sooner.
    ///   - window: the counting window, default 2 minutes, kept in 10 buckets.
    ///   - clock: by default `.coarse`, whose few milliseconds of
    ///     resolution are far below the buckets of a tenth of the window.
    ///   - random: a uniform value in [0, 1); tests pass a fixed sequence.
    ///     By default a SplitMix64 generator seeded from the system one.
    public init(
        multiplier: Double = 2,
        window: Duration = .seconds(120),
        mode: EnforcementMode = .enforce,
        clock: ResilienceClock = .coarse,
        random: (@Sendable () -> Double)? = nil
    ) {
        precondition(multiplier >= 1, "invalid adaptive throttle multiplier \(multiplier): expected at least 1")
        precondition(window.nanoseconds >= 10_000_000, "invalid adaptive throttle window \(window): expected at least 10 ms")
        self.multiplier = multiplier
        self.mode = mode
        self.clock = clock
        self.random = random
        requests = AtomicBuckets(count: 10, bucketNanoseconds: window.nanoseconds / 10)
        accepts = AtomicBuckets(count: 10, bucketNanoseconds: window.nanoseconds / 10)
    }

    /// The probability that the next request is rejected.
    public var rejectionProbability: Double {
        probability(epoch: requests.epoch(at: clock.now()))
    }

    /// Decides about a request. An admitted request must be followed by
    /// `record(accepted:)` with whether the backend accepted it.
    public func admit() -> PolicyDecision {
        let epoch = requests.epoch(at: clock.now())
        let rejection = probability(epoch: epoch)
        requests.add(1, epoch: epoch)
        guard rejection > 0 else {
            return counters.apply(.admitted, mode: mode)
        }
        let draw = random?() ?? generator.nextUnit()
        return counters.apply(draw < rejection ? .rejected(retryAfter: .zero) : .admitted, mode: mode)
    }

    /// Records whether the backend accepted an admitted request. Count a
    /// response that shows overload (503, 429, a timeout) as not accepted.
    public func record(accepted: Bool) {
        guard accepted else { return }
        accepts.add(1, at: clock.now())
    }

    private func probability(epoch: UInt64) -> Double {
        let requests = Double(requests.sum(endingAt: epoch))
        let accepts = Double(accepts.sum(endingAt: epoch))
        return max(0, (requests - multiplier * accepts) / (requests + 1))
    }
}
