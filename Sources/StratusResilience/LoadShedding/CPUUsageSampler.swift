import CStratusLinux
import Glibc
import StratusNet
import Synchronization

/// The process's recent CPU use from 0 to 1, for `LoadShedder`.
///
/// `usage` is the CPU time the process used (user and system, from
/// getrusage(2)) over the latest `interval`, divided by that wall time and
/// by the CPUs the process may run on (sched_getaffinity(2), so `taskset`
/// counts). The sample is taken lazily: the first read after `interval`
/// has passed takes a new one, so no thread or task runs in the background.
/// The reading lags the load by up to two intervals, which is why
/// `LoadShedder` keeps checking for a cool-down after a shed.
///
/// NOTE: a cgroup CPU quota (a container's CPU limit) is not read. Pass
/// `cpuCount` when the quota is below the CPUs the process may run on.
///
/// Thread safety: `usage` may be read from any thread. It is one atomic
/// load, plus one getrusage call once per interval.
public final class CPUUsageSampler: Sendable {
    public let interval: Duration
    public let cpuCount: Int
    private let intervalNanoseconds: UInt64
    private let clock: ResilienceClock
    private let cpuTime: @Sendable () -> UInt64
    /// The latest usage as the bit pattern of a `Double`.
    private let latest = Atomic<UInt64>(0)
    private let nextSample: Atomic<UInt64>
    private let previous: Mutex<(wall: UInt64, cpu: UInt64)>

    /// - Parameters:
    ///   - interval: the span each sample covers, at least 10 ms. Default 250 ms.
    ///   - cpuCount: the CPUs the usage is relative to; by default the CPUs
    ///     the process may run on.
    public convenience init(interval: Duration = .milliseconds(250), cpuCount: Int? = nil) {
        self.init(interval: interval, cpuCount: cpuCount ?? Self.allowedCPUCount(), clock: .system, cpuTime: Self.processCPUTime)
    }

    /// Creates a sampler that reads CPU time (nanoseconds) from `cpuTime`, for tests.
    init(interval: Duration, cpuCount: Int, clock: ResilienceClock, cpuTime: @escaping @Sendable () -> UInt64) {
        precondition(interval.nanoseconds >= 10_000_000, "invalid CPU sampling interval \(interval): expected at least 10 ms")
        precondition(cpuCount >= 1, "invalid CPU count \(cpuCount): expected at least 1")
        self.interval = interval
        self.cpuCount = cpuCount
        self.clock = clock
        self.cpuTime = cpuTime
        intervalNanoseconds = interval.nanoseconds
        let now = clock.now()
        nextSample = Atomic(now + intervalNanoseconds)
        previous = Mutex((now, cpuTime()))
    }

    /// CPU use over the latest interval, from 0 to 1.
    public var usage: Double {
        let now = clock.now()
        if now >= nextSample.load(ordering: .relaxed) {
            sample(at: now)
        }
        return Double(bitPattern: latest.load(ordering: .relaxed))
    }

    /// A closure that reads `usage`, for `LoadShedder(cpuUsage:)`.
    public var reader: @Sendable () -> Double {
        { [self] in usage }
    }

    private func sample(at now: UInt64) {
        // One reader takes the sample; the others keep the latest value.
        previous.withLockIfAvailable { previous in
            guard now >= nextSample.load(ordering: .relaxed) else { return }
            let cpu = cpuTime()
            let wall = now - previous.wall
            let used = cpu > previous.cpu ? cpu - previous.cpu : 0
            let fraction = wall > 0 ? min(1, Double(used) / (Double(wall) * Double(cpuCount))) : 0
            latest.store(fraction.bitPattern, ordering: .relaxed)
            previous = (now, cpu)
            nextSample.store(now + intervalNanoseconds, ordering: .relaxed)
        }
    }

    /// Returns the number of CPUs the process may run on, at least 1.
    static func allowedCPUCount() -> Int {
        let allowed = Int(cstratus_allowed_cpu_count())
        return allowed > 0 ? allowed : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// User plus system CPU time of the process, in nanoseconds.
    @Sendable static func processCPUTime() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func nanoseconds(_ time: timeval) -> UInt64 {
            UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1_000
        }
        return nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime)
    }
}
