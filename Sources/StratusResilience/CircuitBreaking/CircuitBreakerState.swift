import StratusNet
/// The state machine of a classic circuit breaker, as a value: events in,
/// decisions out, no clock and no locks. `CircuitBreaker` wraps it.
///
/// - closed: requests pass. The breaker opens after `consecutiveFailures`
///   failures in a row.
/// - open: requests fail fast until `openDuration` has passed.
/// - halfOpen: up to `probeLimit` requests pass as probes. `probeLimit`
///   successes close the breaker; any failure opens it again.
public struct CircuitBreakerState: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case closed
        case open(until: UInt64)
        case halfOpen
    }

    public struct Configuration: Sendable, Hashable {
        /// Failures in a row that open a closed breaker; at least 1. Default 5.
        public var consecutiveFailures: Int
        /// How long the breaker stays open before probing. Default 10 s.
        public var openDuration: Duration
        /// Probes admitted at once while half-open, and the successes that
        /// close the breaker; at least 1. Default 1.
        public var probeLimit: Int

        public init(consecutiveFailures: Int = 5, openDuration: Duration = .seconds(10), probeLimit: Int = 1) {
            precondition(consecutiveFailures >= 1, "invalid consecutiveFailures \(consecutiveFailures): expected at least 1")
            precondition(probeLimit >= 1, "invalid probeLimit \(probeLimit): expected at least 1")
            precondition(openDuration > .zero, "invalid openDuration \(openDuration): expected a positive duration")
            self.consecutiveFailures = consecutiveFailures
            self.openDuration = openDuration
            self.probeLimit = probeLimit
        }
    }

    public let configuration: Configuration
    public private(set) var phase: Phase = .closed
    private var failuresInRow = 0
    private var probesInFlight = 0
    private var probeSuccesses = 0
    private let openNanoseconds: UInt64

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        openNanoseconds = configuration.openDuration.nanoseconds
    }

    /// Decides about a request at `now` (nanoseconds). An admitted request
    /// must be followed by exactly one `recordSuccess` or `recordFailure`.
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
            return admitProbe()
        case .halfOpen:
            return admitProbe()
        }
    }

    private mutating func admitProbe() -> PolicyDecision {
        guard probesInFlight + probeSuccesses < configuration.probeLimit else {
            return .rejected(retryAfter: .zero)
        }
        probesInFlight += 1
        return .admitted
    }

    public mutating func recordSuccess() {
        switch phase {
        case .closed:
            failuresInRow = 0
        case .halfOpen:
            probesInFlight = max(0, probesInFlight - 1)
            probeSuccesses += 1
            if probeSuccesses >= configuration.probeLimit {
                phase = .closed
                failuresInRow = 0
            }
        case .open:
            break
        }
    }

    /// Records a failure at `now`. Returns true when it opened the breaker.
    @discardableResult
    public mutating func recordFailure(at now: UInt64) -> Bool {
        switch phase {
        case .closed:
            failuresInRow += 1
            guard failuresInRow >= configuration.consecutiveFailures else { return false }
        case .halfOpen:
            break
        case .open:
            return false
        }
        phase = .open(until: now + openNanoseconds)
        failuresInRow = 0
        probesInFlight = 0
        return true
    }
}
