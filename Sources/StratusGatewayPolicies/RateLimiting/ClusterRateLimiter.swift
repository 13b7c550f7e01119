public import StratusLog
public import StratusResilience
public import StratusStore
import Synchronization

/// A rate limit shared by every gateway replica: together they admit
/// `rate` requests per second, counted in fixed windows of the wall clock,
/// instead of each replica admitting the whole rate.
///
/// The replicas share one counter per limit in the control plane's store
/// (`WindowCounter`) and lease tokens from it in chunks sized to their
/// demand (`ClusterLimiterState`). Accuracy and store traffic:
/// - Never more than the window's tokens are admitted while the store is
///   reachable: the counter is changed only by compare-and-swap.
/// - Fewer are admitted when a replica holds leased tokens it does not
///   spend before the window ends. Chunks are at most the remaining tokens
///   ÷ (2 × replicas), so under sustained demand the loss is a few tokens
///   per window. With two replicas over a real control plane the tests
///   measure the total within 2 % of rate × time.
/// - Each replica sends about one transaction per `leaseInterval` of
///   demand, plus a few while a window runs out: roughly 10 to 20 a second
///   per replica with the defaults, whatever the request rate.
/// - Like any fixed window, a window's tokens may all be spent at its
///   start.
///
/// When the store is unreachable or slower than `leaseTimeout`, each
/// replica limits on its own to `rate ÷ replicas` per window, logs a
/// warning once, retries the store every `retryInterval`, and logs when it
/// is back. A replica that degrades mid-window may admit its local share on
/// top of the tokens it already spent in that window.
///
/// Thread safety: `acquire` may be called from any task. A decision that a
/// leased token covers takes one `Mutex` and no allocation. A request that
/// finds no token suspends until the lease in flight returns.
public final class ClusterRateLimiter: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The limit's name, unique in the cluster; the store key is
        /// `keyPrefix` + `name`.
        public var name: String
        /// Requests per second for the whole cluster.
        public var rate: Double
        /// The counting window. Default 1 s.
        public var window: Duration
        /// The number of gateway replicas, for the share each takes alone
        /// when the store is unreachable. Default 2.
        public var replicas: Int
        /// The time a leased chunk should last at the current demand.
        /// Longer means fewer transactions and more tokens left unspent at
        /// the end of a window. Default 100 ms.
        public var leaseInterval: Duration
        /// The time allowed for one lease. Default 250 ms.
        public var leaseTimeout: Duration
        /// How often a degraded replica tries the store again. Default 1 s.
        public var retryInterval: Duration
        /// Whether to lease the next chunk before the current one runs out.
        /// Default true.
        public var prefetch: Bool
        public var keyPrefix: String

        public init(
            name: String,
            rate: Double,
            window: Duration = .seconds(1),
            replicas: Int = 2,
            leaseInterval: Duration = .milliseconds(100),
            leaseTimeout: Duration = .milliseconds(250),
            retryInterval: Duration = .seconds(1),
            prefetch: Bool = true,
            keyPrefix: String = "/stratus/gateway/ratelimit/"
        ) {
            self.name = name
            self.rate = rate
            self.window = window
            self.replicas = replicas
            self.leaseInterval = leaseInterval
            self.leaseTimeout = leaseTimeout
            self.retryInterval = retryInterval
            self.prefetch = prefetch
            self.keyPrefix = keyPrefix
        }
    }

    public let configuration: Configuration
    private let counter: WindowCounter
    private let clock: WallClock
    private let logger: Logger
    private let state: Mutex<ClusterLimiterState<CheckedContinuation<PolicyDecision, Never>>>
    private let decisions = Mutex(Decisions())

    private struct Decisions {
        var admitted = 0
        var rejected = 0
        var failedLeases = 0
    }

    public init(configuration: Configuration, store: any KeyValueStore, clock: WallClock = .system, logger: Logger) {
        precondition(configuration.replicas >= 1, "invalid replicas \(configuration.replicas): expected at least 1")
        self.configuration = configuration
        counter = WindowCounter(store: store, key: configuration.keyPrefix + configuration.name)
        self.clock = clock
        self.logger = logger
        let settings = ClusterLimiterState<CheckedContinuation<PolicyDecision, Never>>.Settings(
            quota: WindowQuota(rate: configuration.rate, window: configuration.window),
            fallbackQuota: WindowQuota(rate: configuration.rate / Double(configuration.replicas), window: configuration.window),
            replicas: configuration.replicas,
            leaseInterval: configuration.leaseInterval.wholeNanoseconds,
            retryInterval: configuration.retryInterval.wholeNanoseconds,
            prefetch: configuration.prefetch
        )
        state = Mutex(ClusterLimiterState(settings: settings))
    }

    /// Decides about one request. Suspends only while a lease is in flight
    /// and no leased token is left, at most about `leaseTimeout`.
    public func acquire() async -> PolicyDecision {
        let now = clock.now()
        let (step, lease) = state.withLock { $0.acquire(now: now, waiter: nil) }
        if let lease { start(lease) }
        if case .decided(let decision) = step {
            return record(decision)
        }
        let decision = await withCheckedContinuation { continuation in
            let now = clock.now()
            let (step, lease) = state.withLock { $0.acquire(now: now, waiter: continuation) }
            if let lease { start(lease) }
            if case .decided(let decision) = step {
                continuation.resume(returning: decision)
            }
        }
        return record(decision)
    }

    /// The decisions and the store traffic so far.
    public var statistics: ClusterRateLimiterStatistics {
        let decisions = decisions.withLock { $0 }
        let counts = counter.statistics
        return ClusterRateLimiterStatistics(
            admitted: decisions.admitted,
            rejected: decisions.rejected,
            transactions: counts.transactions,
            conflicts: counts.conflicts,
            failedLeases: decisions.failedLeases,
            isDegraded: state.withLock { $0.isDegraded }
        )
    }

    private func record(_ decision: PolicyDecision) -> PolicyDecision {
        decisions.withLock { decisions in
            if decision.isAdmitted {
                decisions.admitted += 1
            } else {
                decisions.rejected += 1
            }
        }
        return decision
    }

    /// Runs a lease in a task of its own and applies its result.
    private func start(_ plan: ClusterLimiterState<CheckedContinuation<PolicyDecision, Never>>.LeasePlan) {
        let quota = WindowQuota(rate: configuration.rate, window: configuration.window).tokens(in: plan.window)
        let counter = self.counter
        Task {
            let result: Result<(granted: Int64, used: Int64), any Error>
            do {
                result = .success(try await Deadline.run(configuration.leaseTimeout) {
                    try await counter.lease(window: plan.window, count: plan.count, quota: quota)
                })
            } catch {
                result = .failure(error)
            }
            let now = clock.now()
            let completion = state.withLock { state in
                switch result {
                case .success(let lease): state.leaseSucceeded(plan, granted: lease.granted, used: lease.used, now: now)
                case .failure: state.leaseFailed(now: now)
                }
            }
            if case .failure(let error) = result {
                decisions.withLock { $0.failedLeases += 1 }
                if completion.degraded { logDegraded(error) }
            }
            if completion.recovered {
                logger.info("cluster rate limit store reachable again", metadata: [PolicyLogKey.limiter: .string(configuration.name)])
            }
            for (waiter, decision) in completion.resolved {
                waiter.resume(returning: decision)
            }
            if let next = completion.nextLease {
                start(next)
            }
        }
    }

    private func logDegraded(_ error: any Error) {
        logger.warning("cluster rate limit store unreachable; limiting each replica to rate/replicas", metadata: [
            PolicyLogKey.limiter: .string(configuration.name),
            PolicyLogKey.error: .string("\(error)"),
            "ratelimit.local_rate": .stringConvertible(configuration.rate / Double(configuration.replicas)),
        ])
    }
}

/// The decisions and store traffic of a `ClusterRateLimiter`.
public struct ClusterRateLimiterStatistics: Sendable, Hashable {
    public var admitted: Int
    public var rejected: Int
    /// Store transactions sent, including conflicts.
    public var transactions: Int
    /// Transactions that lost a compare-and-swap race to another replica.
    public var conflicts: Int
    /// Leases that failed or timed out.
    public var failedLeases: Int
    /// Whether the replica is limiting on its own now.
    public var isDegraded: Bool
}
