import StratusNet
import Synchronization

/// Adaptive load shedding in the style of TCP BBR, as go-zero and Kratos
/// apply it to servers: when the CPU is busy, admit no more requests in
/// flight than the server has shown it can complete, max throughput times
/// min latency (the bandwidth-delay product).
///
/// Over a rolling window of buckets it tracks the completions and the
/// summed latency of each bucket. A request is shed when CPU use is at or
/// above `cpuThreshold` and the requests in flight reach
/// maxCompletionsPerBucket × minMeanLatency / bucketDuration, where
/// minMeanLatency is the lowest per-bucket mean latency. The product is the
/// in-flight count that Little's law gives for the best throughput at the
/// best latency seen. A per-bucket mean is used, as Kratos does, and not
/// the single fastest request. With varied request times the fastest one
/// is far below the mean, so the limit keeps the server below its capacity,
/// and the throughput it learns then shrinks with it. In the simulation of
/// LoadShedderSimulationTests (requests of 5 to 15 ms at three times
/// capacity) goodput fell to 29 % that way. While shedding, the limit
/// follows a gain cycle (see `cycled`) that grows a limit set too low and
/// drains the queue that a limit set too high builds.
///
/// After a shed it keeps checking for `coolDown` even when the CPU looks
/// idle, because CPU readings lag the load. The cool-down counts from the
/// latest shed. When it counted from the first shed of an episode instead,
/// a CPU sample that dipped during a drain bucket ended shedding for a
/// whole sample, and at three times capacity the simulated queue grew by
/// about 400 requests each time.
///
/// Thread safety: `admit` and `complete` may be called from any thread and
/// allocate nothing. `cpuUsage` is called on every `admit`, so it must be
/// cheap (`CPUUsageSampler.usage` is).
public final class LoadShedder: Sendable {
    public struct Configuration: Sendable {
        /// CPU use, 0 to 1, from which shedding may start. Default 0.8.
        public var cpuThreshold = 0.8
        /// The rolling window. Default 5 s in 50 buckets.
        public var window: Duration = .seconds(5)
        public var buckets = 50
        /// How long shedding stays possible after the last shed. Default 1 s.
        public var coolDown: Duration = .seconds(1)
        /// How long a client should wait before retrying a shed request.
        /// Default 1 s.
        public var retryAfter: Duration = .seconds(1)

        public init() {}
    }

    private struct Bucket {
        var completions = 0
        var latencySum: UInt64 = 0
    }

    private struct Window {
        var buckets: RollingBuckets<Bucket>
        var lastShed: UInt64?
        /// `maxInFlight` for the buckets before the current one; it changes
        /// only when the window moves, so it is computed once per bucket.
        var limit: Int?
        var limitIsCurrent = false
        /// When the current gain cycle began (see `cycled`).
        var cycleStart: UInt64 = 0
    }

    public let configuration: Configuration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let cpuUsage: @Sendable () -> Double
    private let coolDownNanoseconds: UInt64
    private let cycleLength: UInt64
    private let inFlight = Atomic<Int>(0)
    private let window: Mutex<Window>

    /// - Parameter cpuUsage: the process's recent CPU use from 0 to 1, such
    ///   as `CPUUsageSampler.usage`; tests pass a value they set.
    public init(configuration: Configuration = Configuration(), mode: EnforcementMode = .enforce, clock: ResilienceClock = .system, cpuUsage: @escaping @Sendable () -> Double) {
        precondition(configuration.buckets >= 2, "invalid load shedder buckets \(configuration.buckets): expected at least 2")
        self.configuration = configuration
        self.mode = mode
        self.clock = clock
        self.cpuUsage = cpuUsage
        coolDownNanoseconds = configuration.coolDown.nanoseconds
        cycleLength = configuration.window.nanoseconds / 2
        let buckets = RollingBuckets(count: configuration.buckets, window: configuration.window, empty: Bucket(), now: clock.now())
        window = Mutex(Window(buckets: buckets))
    }

    /// The requests admitted and not completed.
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// The in-flight limit that applies while shedding, from the buckets
    /// before the current one; nil until one of them has completions.
    public var inFlightLimit: Int? {
        let now = clock.now()
        return window.withLock { window in
            window.buckets.advance(to: now)
            return currentLimit(&window)
        }
    }

    /// Decides about a request. An admitted request must call
    /// `complete(startedAt:)` with the time `admit` returned, also when it
    /// fails or is cancelled.
    public func admit() -> (decision: PolicyDecision, startedAt: UInt64) {
        let now = clock.now()
        let current = inFlight.load(ordering: .relaxed)
        let busy = cpuUsage() >= configuration.cpuThreshold
        let overloaded = window.withLock { window -> Bool in
            if window.buckets.advance(to: now) {
                window.limitIsCurrent = false
            }
            guard busy || isCoolingDown(window, now: now) else { return false }
            guard let limit = currentLimit(&window) else { return false }
            guard current >= cycled(limit, &window, now: now) else { return false }
            window.lastShed = now
            return true
        }
        let decision = counters.apply(overloaded ? .rejected(retryAfter: configuration.retryAfter) : .admitted, mode: mode)
        if decision.isAdmitted {
            inFlight.wrappingAdd(1, ordering: .relaxed)
        }
        return (decision, now)
    }

    /// Ends an admitted request and records its latency.
    public func complete(startedAt: UInt64) {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        let now = clock.now()
        let latency = now > startedAt ? now - startedAt : 0
        window.withLock { window in
            if window.buckets.advance(to: now) {
                window.limitIsCurrent = false
            }
            window.buckets.newest.completions += 1
            window.buckets.newest.latencySum += latency
        }
    }

    private func isCoolingDown(_ window: Window, now: UInt64) -> Bool {
        guard let lastShed = window.lastShed else { return false }
        return now - lastShed < coolDownNanoseconds
    }

    /// `limit` scaled by the gain of the current cycle, as TCP BBR cycles
    /// its pacing gain. A cycle lasts `cycleLength` (half the window): one
    /// bucket at 5/4 of the limit, so that a limit learned under light load
    /// grows to what the server can do; two buckets at 1/2, so that the
    /// queue drains and the window measures a latency without queueing; then
    /// the limit itself. Without the drain the per-bucket means included
    /// the queue the limit let build, and the limit crept up; without the
    /// growth bucket a limit learned at half load stayed there.
    private func cycled(_ limit: Int, _ window: inout Window, now: UInt64) -> Int {
        if now >= window.cycleStart + cycleLength {
            window.cycleStart = now
        }
        switch (now - window.cycleStart) / window.buckets.bucketDuration {
        case 0: return limit + max(1, limit / 4)
        case 1, 2: return max(1, limit / 2)
        default: return limit
        }
    }

    private func currentLimit(_ window: inout Window) -> Int? {
        if !window.limitIsCurrent {
            window.limit = maxInFlight(window.buckets)
            window.limitIsCurrent = true
        }
        return window.limit
    }

    /// Max completions per bucket × min mean latency / bucket duration, from
    /// the buckets before the current one; nil until one has completions.
    private func maxInFlight(_ rolling: borrowing RollingBuckets<Bucket>) -> Int? {
        var maxCompletions = 0
        var minMeanLatency = Double.infinity
        for index in rolling.buckets.indices where index != rolling.current {
            let bucket = rolling.buckets[index]
            guard bucket.completions > 0 else { continue }
            maxCompletions = max(maxCompletions, bucket.completions)
            minMeanLatency = min(minMeanLatency, Double(bucket.latencySum) / Double(bucket.completions))
        }
        guard maxCompletions > 0 else { return nil }
        let product = Double(maxCompletions) * minMeanLatency / Double(rolling.bucketDuration)
        return max(1, Int(product.rounded(.up)))
    }
}
