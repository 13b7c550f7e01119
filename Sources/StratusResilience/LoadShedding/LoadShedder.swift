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
/// whole sample. At three times capacity the simulated queue then grew by
/// about 400 requests each time.
///
/// Thread safety: `admit` and `complete` may be called from any thread.
/// They take no lock and allocate nothing: the counts are atomic buckets.
/// `cpuUsage` is called on every `admit`, so it must be cheap
/// (`CPUUsageSampler.usage` is).
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

    public let configuration: Configuration
    public let mode: EnforcementMode
    public let counters = PolicyCounters()
    private let clock: ResilienceClock
    private let cpuUsage: @Sendable () -> Double
    private let coolDownNanoseconds: UInt64
    private let cycleLength: UInt64
    /// The requests admitted and not completed, striped because every
    /// request adds to it twice.
    private let inFlight = StripedCounters(count: 1)
    /// Completions and their summed latency per bucket, in units of
    /// `latencyUnit` nanoseconds, at least one per request.
    private let completions: AtomicBuckets
    private let latencies: AtomicBuckets
    /// 100 ns: the 32-bit sum of a bucket of 100 ms then covers 4,294
    /// requests in flight on average. A sum beyond saturates, which raises
    /// the limit and sheds less, never more.
    private static let latencyUnit: UInt64 = 100
    /// `maxInFlight` (0 for none) in the low 32 bits, and the low 32 bits of
    /// the epoch it was computed in above them. It changes only when the
    /// window moves, so it is computed once per bucket. One word and not a
    /// `WordPair`, because on x86-64 even a double-word load is a locked
    /// cmpxchg16b, which two CPUs deciding at once passed back and forth.
    private let limit = Atomic<UInt64>(UInt64(UInt32.max) << 32)
    /// When the current gain cycle began (see `cycled`).
    private let cycleStart = Atomic<UInt64>(0)
    /// When the latest shed happened, 0 before the first.
    private let lastShed = Atomic<UInt64>(0)

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
        let bucket = max(1, configuration.window.nanoseconds / UInt64(configuration.buckets))
        completions = AtomicBuckets(count: configuration.buckets, bucketNanoseconds: bucket, striped: true)
        latencies = AtomicBuckets(count: configuration.buckets, bucketNanoseconds: bucket, striped: true)
    }

    /// The requests admitted and not completed.
    public var requestsInFlight: Int { inFlight.value(0) }

    /// The in-flight limit that applies while shedding, from the buckets
    /// before the current one; nil until one of them has completions.
    public var inFlightLimit: Int? {
        currentLimit(at: clock.now())
    }

    /// Decides about a request. An admitted request must call
    /// `complete(startedAt:)` with the time `admit` returned, also when it
    /// fails or is cancelled.
    public func admit() -> (decision: PolicyDecision, startedAt: UInt64) {
        let now = clock.now()
        let checks = cpuUsage() >= configuration.cpuThreshold || isCoolingDown(now: now)
        let overloaded = checks && isOverloaded(inFlight: inFlight.value(0), at: now)
        let decision = counters.apply(overloaded ? .rejected(retryAfter: configuration.retryAfter) : .admitted, mode: mode)
        if decision.isAdmitted {
            inFlight.add(1, to: 0)
        }
        return (decision, now)
    }

    /// Ends an admitted request and records its latency.
    public func complete(startedAt: UInt64) {
        inFlight.add(-1, to: 0)
        let now = clock.now()
        let latency = now > startedAt ? now - startedAt : 0
        completions.add(1, at: now)
        latencies.add(UInt32(clamping: max(1, latency / Self.latencyUnit)), at: now)
    }

    private func isOverloaded(inFlight current: Int, at now: UInt64) -> Bool {
        guard let limit = currentLimit(at: now), current >= cycled(limit, now: now) else { return false }
        lastShed.store(now, ordering: .relaxed)
        return true
    }

    private func isCoolingDown(now: UInt64) -> Bool {
        let last = lastShed.load(ordering: .relaxed)
        // A shed stamped after `now` by another thread is recent too.
        return last != 0 && (now < last || now - last < coolDownNanoseconds)
    }

    /// Returns `limit` scaled by the gain of the current cycle, as TCP BBR
    /// cycles its pacing gain. A cycle lasts `cycleLength` (half the
    /// window). Its first bucket allows 5/4 of the limit, so that a limit
    /// learned under light load grows to what the server can do. The next
    /// two allow 1/2, so that the queue drains and the window measures a
    /// latency without queueing. The rest allow the limit itself. Without
    /// the drain, the per-bucket means included the queue that the limit
    /// let build, and the limit crept up. Without the growth bucket, a limit
    /// learned at half load stayed there.
    private func cycled(_ limit: Int, now: UInt64) -> Int {
        var start = cycleStart.load(ordering: .relaxed)
        if now >= start + cycleLength {
            // One thread starts the next cycle; the others follow its start.
            let (exchanged, current) = cycleStart.compareExchange(expected: start, desired: now, ordering: .relaxed)
            start = exchanged ? now : current
        }
        let elapsed = now > start ? now - start : 0
        switch elapsed / completions.bucketNanoseconds {
        case 0: return limit + max(1, limit / 4)
        case 1, 2: return max(1, limit / 2)
        default: return limit
        }
    }

    /// Returns the limit of `now`'s bucket, computed once per bucket.
    private func currentLimit(at now: UInt64) -> Int? {
        let epoch = completions.epoch(at: now)
        let tag = UInt64(UInt32(truncatingIfNeeded: epoch)) << 32
        let cached = limit.load(ordering: .relaxed)
        if cached & 0xFFFF_FFFF_0000_0000 == tag {
            let value = cached & 0xFFFF_FFFF
            return value == 0 ? nil : Int(value)
        }
        let computed = maxInFlight(before: epoch)
        limit.store(tag | UInt64(UInt32(clamping: computed ?? 0)), ordering: .relaxed)
        return computed
    }

    /// Max completions per bucket × min mean latency / bucket duration, over
    /// the buckets before `epoch`; nil until one has completions.
    private func maxInFlight(before epoch: UInt64) -> Int? {
        var maxCompletions: UInt32 = 0
        var minMeanLatency = Double.infinity
        for offset in 1..<UInt64(completions.count) where offset <= epoch {
            let count = completions.value(ofEpoch: epoch - offset)
            guard count > 0 else { continue }
            maxCompletions = max(maxCompletions, count)
            minMeanLatency = min(minMeanLatency, Double(latencies.value(ofEpoch: epoch - offset)) / Double(count))
        }
        guard maxCompletions > 0 else { return nil }
        let product = Double(maxCompletions) * minMeanLatency * Double(Self.latencyUnit) / Double(completions.bucketNanoseconds)
        return max(1, Int(product.rounded(.up)))
    }
}
