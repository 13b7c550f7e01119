import StratusNet

/// The state machine of a classic circuit breaker, as a value: events in,
/// decisions out, no clock and no locks. `CircuitBreaker` wraps it.
///
/// - closed: requests pass. The breaker opens after `consecutiveFailures`
///   failures in a row, or when the failed share over the failure-rate
///   window reaches its threshold (see `Configuration`).
/// - open: requests fail fast until `openDuration` has passed.
/// - halfOpen: up to `probeLimit` requests pass as probes. The breaker
///   closes after `probeLimit` probes succeeded, and any probe failure opens
///   it again. A cancelled probe (`recordCancelled()`) frees its slot. A
///   probe that reports nothing for `openDuration` is given up and frees
///   its slot too, so a lost probe delays recovery and does not block it.
///
/// Outcomes are not matched to the requests they belong to: a request
/// admitted while closed that ends while half-open counts as a probe.
public struct CircuitBreakerState: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case closed
        case open(until: UInt64)
        case halfOpen
    }

    struct Outcomes: Sendable, Hashable {
        var successes = 0
        var failures = 0
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .closed
    private var failuresInRow = 0
    /// Outcomes over the failure-rate window; nil without that trigger.
    private var outcomes: RollingBuckets<Outcomes>?
    private var probesInFlight = 0
    private var probeSuccesses = 0
    /// When the probes in flight are given up: `openDuration` after the
    /// latest probe was admitted.
    private var probeDeadline: UInt64 = 0
    private let openNanoseconds: UInt64

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        openNanoseconds = configuration.openDuration.nanoseconds
        if let rate = configuration.failureRate {
            outcomes = RollingBuckets(count: rate.buckets, window: rate.window, empty: Outcomes(), now: 0)
        }
    }

    /// Decides about a request at `now` (nanoseconds). An admitted request
    /// must be followed by exactly one `recordSuccess`, `recordFailure` or
    /// `recordCancelled`.
    public mutating func admit(at now: UInt64) -> PolicyDecision {
        switch phase {
        case .closed:
            return .admitted
        case .open(let until):
            guard now >= until else {
                return .rejected(retryAfter: .nanoseconds(Int64(until - now)))
            }
            phase = .halfOpen
            probesInFlight = 0
            probeSuccesses = 0
            return admitProbe(at: now)
        case .halfOpen:
            return admitProbe(at: now)
        }
    }

    private mutating func admitProbe(at now: UInt64) -> PolicyDecision {
        if probesInFlight > 0 && now >= probeDeadline {
            probesInFlight = 0
        }
        guard probesInFlight + probeSuccesses < configuration.probeLimit else {
            return .rejected(retryAfter: .zero)
        }
        probesInFlight += 1
        probeDeadline = now + openNanoseconds
        return .admitted
    }

    public mutating func recordSuccess(at now: UInt64) {
        switch phase {
        case .closed:
            failuresInRow = 0
            outcomes?.advance(to: now)
            outcomes?.newest.successes += 1
        case .halfOpen:
            probesInFlight = max(0, probesInFlight - 1)
            probeSuccesses += 1
            if probeSuccesses >= configuration.probeLimit {
                close(at: now)
            }
        case .open:
            break
        }
    }

    /// Records a failure at `now`. Returns the cause when it opened the
    /// breaker, nil otherwise.
    @discardableResult
    public mutating func recordFailure(at now: UInt64) -> OpeningCause? {
        switch phase {
        case .closed:
            failuresInRow += 1
            outcomes?.advance(to: now)
            outcomes?.newest.failures += 1
            guard let cause = closedTrigger() else { return nil }
            open(at: now)
            return cause
        case .halfOpen:
            open(at: now)
            return .probeFailed
        case .open:
            return nil
        }
    }

    /// Records that an admitted request ended without an outcome, such as a
    /// cancelled call. It frees a probe's slot and counts nothing.
    public mutating func recordCancelled() {
        if phase == .halfOpen {
            probesInFlight = max(0, probesInFlight - 1)
        }
    }

    /// Returns the trigger a closed breaker has reached, if any.
    private func closedTrigger() -> OpeningCause? {
        if let limit = configuration.consecutiveFailures, failuresInRow >= limit {
            return .consecutiveFailures(count: failuresInRow)
        }
        guard let rate = configuration.failureRate, let outcomes else { return nil }
        var failures = 0
        var requests = 0
        for bucket in outcomes.buckets {
            failures += bucket.failures
            requests += bucket.successes + bucket.failures
        }
        guard requests >= rate.minimumRequests, Double(failures) >= rate.threshold * Double(requests) else { return nil }
        return .failureRate(failures: failures, requests: requests)
    }

    private mutating func open(at now: UInt64) {
        phase = .open(until: now + openNanoseconds)
        failuresInRow = 0
        probesInFlight = 0
        outcomes?.reset(to: now)
    }

    private mutating func close(at now: UInt64) {
        phase = .closed
        failuresInRow = 0
        outcomes?.reset(to: now)
    }
}
