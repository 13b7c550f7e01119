import Synchronization

/// A classic circuit breaker: a thread-safe wrapper of `CircuitBreakerState`
/// that also keeps the reasons of the latest failures, so an opening
/// breaker can report why it opened.
///
/// ```swift
/// guard breaker.admit().isAdmitted else { /* fail fast, 503 */ }
/// do { try await call(); breaker.recordSuccess() }
/// catch is CancellationError { breaker.recordCancelled() }
/// catch { breaker.recordFailure(reason: "\(error)") }
/// ```
///
/// `withFallback(_:operation:fallback:)` and `run(_:)` make these calls for
/// an operation.
///
/// Thread safety: every method may be called from any thread. The state is
/// behind a `Mutex`; `admit` and `recordSuccess` allocate nothing.
public final class CircuitBreaker: Sendable {
    /// The argument of `onOpen`.
    public struct Opening: Sendable {
        public let cause: CircuitBreakerState.OpeningCause
        /// The reasons of the latest failures, oldest first.
        public let recentFailures: [String]
    }

    private struct Shared {
        var state: CircuitBreakerState
        var recentFailures: [String]
    }

    /// How many failure reasons are kept.
    public static let keptReasons = 5

    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let shared: Mutex<Shared>
    private let onOpen: (@Sendable (Opening) -> Void)?

    /// - Parameter onOpen: called, outside the lock, each time the breaker
    ///   opens, with the cause and the latest failure reasons.
    public init(
        configuration: CircuitBreakerState.Configuration = .init(),
        mode: EnforcementMode = .enforce,
        clock: ResilienceClock = .system,
        onOpen: (@Sendable (Opening) -> Void)? = nil
    ) {
        self.mode = mode
        self.clock = clock
        self.onOpen = onOpen
        var reasons: [String] = []
        reasons.reserveCapacity(Self.keptReasons + 1)
        shared = Mutex(Shared(state: CircuitBreakerState(configuration: configuration), recentFailures: reasons))
    }

    public var phase: CircuitBreakerState.Phase { shared.withLock { $0.state.phase } }

    /// The reasons of the latest failures, oldest first.
    public var recentFailures: [String] { shared.withLock { $0.recentFailures } }

    public func admit() -> PolicyDecision {
        let now = clock.now()
        let decision = shared.withLock { $0.state.admit(at: now) }
        return counters.apply(decision, mode: mode)
    }

    public func recordSuccess() {
        let now = clock.now()
        shared.withLock { $0.state.recordSuccess(at: now) }
    }

    public func recordFailure(reason: String) {
        let now = clock.now()
        let opening: Opening? = shared.withLock { shared in
            if shared.recentFailures.count == Self.keptReasons {
                shared.recentFailures.removeFirst()
            }
            shared.recentFailures.append(reason)
            guard let cause = shared.state.recordFailure(at: now) else { return nil }
            return Opening(cause: cause, recentFailures: shared.recentFailures)
        }
        if let opening {
            onOpen?(opening)
        }
    }

    /// Ends an admitted request that has no outcome, such as a cancelled
    /// call, so that a half-open breaker's probe slot opens again.
    public func recordCancelled() {
        shared.withLock { $0.state.recordCancelled() }
    }
}
