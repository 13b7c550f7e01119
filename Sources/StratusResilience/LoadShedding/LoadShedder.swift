import StratusNet
import Synchronization

/// Adaptive load shedding in the style of TCP BBR, as go-zero and Kratos
/// apply it to servers: when the CPU is busy, admit no more requests in
/// flight than the server has shown it can complete, max throughput times
/// min latency (the bandwidth-delay product).
///
/// Over a rolling window of buckets it tracks the completions per bucket
/// and the shortest request time. A request is shed when CPU use is at or
/// above `cpuThreshold` and the requests in flight exceed
/// maxCompletionsPerBucket × minLatency / bucketDuration. After a shed it
/// keeps checking for `coolDown` even when the CPU looks idle, because CPU
/// readings lag the load.
///
/// Thread safety: `admit` and `complete` may be called from any thread.
public final class LoadShedder: Sendable {
    public struct Configuration: Sendable {
        /// CPU use, 0 to 1, from which shedding may start. Default 0.8.
        public var cpuThreshold = 0.8
        /// The rolling window. Default 5 s in 50 buckets.
        public var window: Duration = .seconds(5)
        public var buckets = 50
        /// How long shedding stays possible after the last shed. Default 1 s.
        public var coolDown: Duration = .seconds(1)
        /// Seconds a client should wait before retrying a shed request.
        public var retryAfter: Duration = .seconds(1)

        public init() {}
    }

    private struct Bucket {
        var completions = 0
        var minLatency = UInt64.max
    }

    private struct Window {
        var buckets: RollingBuckets<Bucket>
        var lastShed: UInt64?
    }

    public let configuration: Configuration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let cpuUsage: @Sendable () -> Double
    private let coolDownNanoseconds: UInt64
    private let inFlight = Atomic<Int>(0)
    private let window: Mutex<Window>

    /// - Parameter cpuUsage: the process's recent CPU use from 0 to 1; the
    ///   caller samples it (for example from /proc every 250 ms) and tests
    ///   pass a fixed value.
    public init(configuration: Configuration = Configuration(), mode: EnforcementMode = .enforce, clock: ResilienceClock = .system, cpuUsage: @escaping @Sendable () -> Double) {
        precondition(configuration.buckets >= 2, "invalid load shedder buckets \(configuration.buckets): expected at least 2")
        self.configuration = configuration
        self.mode = mode
        self.clock = clock
        self.cpuUsage = cpuUsage
        coolDownNanoseconds = configuration.coolDown.nanoseconds
        let buckets = RollingBuckets(count: configuration.buckets, window: configuration.window, empty: Bucket(), now: clock.now())
        window = Mutex(Window(buckets: buckets))
    }

    /// The requests admitted and not completed.
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Decides about a request. An admitted request must call
    /// `complete(startedAt:)` with the time `admit` returned.
    public func admit() -> (decision: PolicyDecision, startedAt: UInt64) {
        let now = clock.now()
        let current = inFlight.load(ordering: .relaxed)
        let overloaded = window.withLock { window -> Bool in
            window.buckets.advance(to: now)
            guard shouldCheck(window, now: now) else { return false }
            guard let limit = maxInFlight(window), current >= limit else { return false }
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
            window.buckets.advance(to: now)
            window.buckets.newest.completions += 1
            window.buckets.newest.minLatency = min(window.buckets.newest.minLatency, latency)
        }
    }

    private func shouldCheck(_ window: Window, now: UInt64) -> Bool {
        if cpuUsage() >= configuration.cpuThreshold { return true }
        guard let lastShed = window.lastShed else { return false }
        return now - lastShed < coolDownNanoseconds
    }

    /// Max completions per bucket × min latency in buckets, from the
    /// buckets before the current one; nil until one has completions.
    private func maxInFlight(_ window: Window) -> Int? {
        var maxCompletions = 0
        var minLatency = UInt64.max
        let rolling = window.buckets
        for (index, bucket) in rolling.buckets.enumerated() where index != rolling.current && bucket.completions > 0 {
            maxCompletions = max(maxCompletions, bucket.completions)
            minLatency = min(minLatency, bucket.minLatency)
        }
        guard maxCompletions > 0 else { return nil }
        let product = Double(maxCompletions) * Double(minLatency) / Double(rolling.bucketDuration)
        return max(1, Int(product.rounded(.up)))
    }
}
