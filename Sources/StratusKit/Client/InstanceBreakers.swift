import StratusDiscovery
import StratusResilience
import Synchronization

/// One circuit breaker per instance id, made on first use and dropped when
/// the instance leaves discovery.
///
/// Thread safety: the table is behind a `Mutex`; breakers are thread-safe.
final class InstanceBreakers: Sendable {
    private struct State {
        var breakers: [String: CircuitBreaker] = [:]
        /// The snapshot version the table was last pruned against.
        var prunedVersion: UInt64?
    }

    private let configuration: CircuitBreakerState.Configuration
    private let clock: ResilienceClock
    private let onOpen: @Sendable (ServiceInstance, [String]) -> Void
    private let state = Mutex(State())

    /// - Parameter onOpen: called each time an instance's breaker opens, with
    ///   the latest failure reasons, oldest first.
    init(configuration: CircuitBreakerState.Configuration, clock: ResilienceClock, onOpen: @escaping @Sendable (ServiceInstance, [String]) -> Void) {
        self.configuration = configuration
        self.clock = clock
        self.onOpen = onOpen
    }

    /// Returns the breaker of `instance`, making it on first use.
    func breaker(for instance: ServiceInstance) -> CircuitBreaker {
        if let breaker = state.withLock({ $0.breakers[instance.id] }) {
            return breaker
        }
        let onOpen = self.onOpen
        let made = CircuitBreaker(configuration: configuration, clock: clock) { opening in onOpen(instance, opening.recentFailures) }
        return state.withLock { state in
            if let existing = state.breakers[instance.id] {
                return existing
            }
            state.breakers[instance.id] = made
            return made
        }
    }

    /// Drops the breakers of instances that are not in `snapshot`, whatever
    /// their status, once per snapshot version.
    func prune(to snapshot: InstanceSnapshot) {
        state.withLock { state in
            guard state.prunedVersion != snapshot.version else { return }
            state.prunedVersion = snapshot.version
            guard !state.breakers.isEmpty else { return }
            let present = Set(snapshot.instances.map(\.id))
            state.breakers = state.breakers.filter { present.contains($0.key) }
        }
    }

    /// Returns the breaker of the instance with `id`, or nil when it has none.
    func existingBreaker(for id: String) -> CircuitBreaker? {
        state.withLock { $0.breakers[id] }
    }
}
