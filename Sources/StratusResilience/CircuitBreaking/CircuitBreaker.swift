import Synchronization

/// A classic circuit breaker: thread-safe wrapper of `CircuitBreakerState`
/// that also keeps the reasons of the latest failures, so an opening
/// breaker can report why it opened.
///
/// ```swift
/// guard breaker.admit().isAdmitted else { /* fail fast, 503 */ }
/// do { try await call(); breaker.recordSuccess() }
/// catch { breaker.recordFailure(reason: "\(error)") }
/// ```
public final class CircuitBreaker: Sendable {
    private struct Shared {
        var state: CircuitBreakerState
        var recentFailures: [String] = []
    }

    /// How many failure reasons are kept.
    public static let keptReasons = 5

    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let shared: Mutex<Shared>
    private let onOpen: (@Sendable ([String]) -> Void)?

    /// - Parameter onOpen: called, outside the lock, each time the breaker
    ///   opens, with the latest failure reasons, oldest first.
    public init(
        configuration: CircuitBreakerState.Configuration = .init(),
        mode: EnforcementMode = .enforce,
        clock: ResilienceClock = .system,
        onOpen: (@Sendable ([String]) -> Void)? = nil
    ) {
        self.mode = mode
        self.clock = clock
        self.onOpen = onOpen
        shared = Mutex(Shared(state: CircuitBreakerState(configuration: configuration)))
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
        shared.withLock { $0.state.recordSuccess() }
    }

    public func recordFailure(reason: String) {
        let now = clock.now()
        let opened: [String]? = shared.withLock { shared in
            shared.recentFailures.append(reason)
            if shared.recentFailures.count > Self.keptReasons {
                shared.recentFailures.removeFirst()
            }
            return shared.state.recordFailure(at: now) ? shared.recentFailures : nil
        }
        if let opened {
            onOpen?(opened)
        }
    }
}
