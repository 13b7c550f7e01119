import StratusResilience

/// The state machine of one cluster-wide limiter replica, without I/O or
/// clocks: events in (a request, a lease result), decisions and lease
/// requests out. `ClusterRateLimiter` runs the leases against the store.
///
/// Each replica leases tokens in chunks from the window's shared counter
/// and spends them locally. The chunk is the replica's recent demand over
/// `leaseInterval`, capped at the window's remaining tokens ÷ (2 ×
/// replicas), so chunks shrink as the window runs out and no replica keeps
/// many tokens that another may need. Requests that find no token wait for
/// the lease in flight. With `prefetch`, the next lease starts while a
/// quarter of the last chunk is still left, so most requests never wait.
///
/// When a lease fails (store unreachable or too slow), the replica is
/// degraded: it drops its leased tokens and admits at most the rate ÷
/// replicas per window on its own, retrying the store every
/// `retryInterval` with a lease started in the background.
struct ClusterLimiterState<Waiter> {
    struct Settings {
        var quota: WindowQuota
        /// The local quota while degraded: the rate ÷ replicas.
        var fallbackQuota: WindowQuota
        var replicas: Int
        /// The time a chunk should last at the current demand, in nanoseconds.
        var leaseInterval: UInt64
        var retryInterval: UInt64
        var prefetch: Bool
    }

    /// A lease to run: take up to `count` tokens of `window`.
    struct LeasePlan: Hashable {
        var window: Int64
        var count: Int64
    }

    enum Step {
        case decided(PolicyDecision)
        /// No token now; call again with a waiter.
        case mustWait
        /// The waiter was queued for the lease in flight.
        case queued
    }

    /// The decisions and the next lease that a lease result settles.
    struct Completion {
        var resolved: [(Waiter, PolicyDecision)] = []
        var nextLease: LeasePlan?
        /// The replica became degraded with this result.
        var degraded = false
        /// The replica stopped being degraded with this result.
        var recovered = false
    }

    let settings: Settings

    // The current window.
    private(set) var window: Int64 = .min
    private(set) var tokens: Int64 = 0
    /// The window's counter in the store as of the last lease.
    private var storeUsed: Int64 = 0
    private var exhausted = false
    private var demandCurrent: Int64 = 0
    private var demandPrevious: Int64 = 0
    private var lastChunk: Int64 = 1

    // The lease and the requests waiting for it.
    private(set) var leaseInFlight = false
    private var waiters: [Waiter] = []

    // Degraded mode.
    private(set) var isDegraded = false
    private var retryAt: UInt64 = 0
    private var fallbackUsed: Int64 = 0

    init(settings: Settings) {
        self.settings = settings
    }

    /// Decides about one request at `now`. Without a waiter, a request that
    /// must wait returns `.mustWait` and is not counted; call again with a
    /// waiter. `lease` is set when a lease must start.
    mutating func acquire(now: UInt64, waiter: Waiter?) -> (step: Step, lease: LeasePlan?) {
        roll(now)
        if isDegraded {
            demandCurrent += 1
            return (.decided(fallbackDecision(now)), probeIfDue(now))
        }
        if tokens > 0 {
            demandCurrent += 1
            tokens -= 1
            return (.decided(.admitted), prefetchIfDue(now))
        }
        if exhausted {
            demandCurrent += 1
            return (.decided(rejection(now)), nil)
        }
        guard let waiter else { return (.mustWait, nil) }
        demandCurrent += 1
        waiters.append(waiter)
        return (.queued, leaseInFlight ? nil : startLease(now))
    }

    /// Applies a lease that took `granted` tokens of `plan.window` and left
    /// the window's counter at `used`.
    mutating func leaseSucceeded(_ plan: LeasePlan, granted: Int64, used: Int64, now: UInt64) -> Completion {
        leaseInFlight = false
        roll(now)
        var completion = Completion()
        if isDegraded {
            isDegraded = false
            completion.recovered = true
        }
        // A lease for a window that has ended is dropped: its tokens are
        // counted in the store but can no longer be spent.
        if plan.window == window {
            tokens += granted
            storeUsed = max(storeUsed, used)
            exhausted = used >= settings.quota.tokens(in: window)
        }
        while !waiters.isEmpty, tokens > 0 {
            tokens -= 1
            completion.resolved.append((waiters.removeFirst(), .admitted))
        }
        if !waiters.isEmpty {
            if exhausted {
                let decision = rejection(now)
                completion.resolved += waiters.map { ($0, decision) }
                waiters.removeAll()
            } else {
                completion.nextLease = startLease(now)
            }
        }
        return completion
    }

    /// Applies a failed lease: the replica becomes degraded and decides the
    /// waiting requests on its own.
    mutating func leaseFailed(now: UInt64) -> Completion {
        leaseInFlight = false
        roll(now)
        var completion = Completion()
        if !isDegraded {
            isDegraded = true
            completion.degraded = true
        }
        tokens = 0
        retryAt = now + settings.retryInterval
        completion.resolved = waiters.map { ($0, fallbackDecision(now)) }
        waiters.removeAll()
        return completion
    }

    /// Starts a new window when `now` is past the current one.
    private mutating func roll(_ now: UInt64) {
        let current = settings.quota.window(at: now)
        guard current != window else { return }
        demandPrevious = current == window &+ 1 ? demandCurrent : 0
        demandCurrent = 0
        window = current
        tokens = 0
        storeUsed = 0
        exhausted = false
        fallbackUsed = 0
    }

    private mutating func startLease(_ now: UInt64) -> LeasePlan {
        leaseInFlight = true
        let count = chunkSize(now)
        lastChunk = count
        return LeasePlan(window: window, count: count)
    }

    private mutating func prefetchIfDue(_ now: UInt64) -> LeasePlan? {
        guard settings.prefetch, !leaseInFlight, !exhausted, tokens <= lastChunk / 4 else { return nil }
        return startLease(now)
    }

    private mutating func probeIfDue(_ now: UInt64) -> LeasePlan? {
        guard !leaseInFlight, now >= retryAt else { return nil }
        retryAt = now + settings.retryInterval
        return startLease(now)
    }

    /// Returns the tokens to lease: the demand over `leaseInterval`, at
    /// least the waiting requests, at most the remaining tokens ÷ (2 ×
    /// replicas).
    func chunkSize(_ now: UInt64) -> Int64 {
        let quota = settings.quota
        let remaining = quota.tokens(in: window) - storeUsed
        let share = max(1, remaining / Int64(2 * settings.replicas))
        let elapsed = max(now - quota.start(of: window), quota.length / 10)
        let currentRate = Double(demandCurrent) / Double(elapsed)
        let previousRate = Double(demandPrevious) / Double(quota.length)
        let demand = Int64((max(currentRate, previousRate) * Double(settings.leaseInterval)).rounded(.up))
        return min(max(1, demand, Int64(waiters.count)), share)
    }

    private func rejection(_ now: UInt64) -> PolicyDecision {
        .rejected(retryAfter: .nanoseconds(Int64(settings.quota.remaining(at: now))))
    }

    private mutating func fallbackDecision(_ now: UInt64) -> PolicyDecision {
        guard fallbackUsed < settings.fallbackQuota.tokens(in: settings.fallbackQuota.window(at: now)) else {
            return rejection(now)
        }
        fallbackUsed += 1
        return .admitted
    }
}
