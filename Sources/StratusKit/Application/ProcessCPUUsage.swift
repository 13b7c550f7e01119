import Glibc
import StratusNet
import Synchronization

/// The process's recent CPU use, from 0 to 1 of the CPUs it may use, for
/// the load shedder.
///
/// `current()` is called on every request, so it returns a cached value and
/// takes a new sample from `getrusage` at most every `interval`, on the
/// request that finds the cached value stale. Samples are smoothed with an
/// exponentially weighted moving average that gives a new sample a weight
/// of 0.25, so a burst shows within about a second.
///
/// The CPUs available are the cgroup v2 quota (`/sys/fs/cgroup/cpu.max`,
/// the limit a Kubernetes pod gets) when one is set, otherwise the online
/// CPUs.
final class ProcessCPUUsage: Sendable {
    static let interval: UInt64 = 250_000_000
    static let newSampleWeight = 0.25

    private let cpus: Double
    private let usageBits = Atomic<UInt64>(0.0.bitPattern)
    private let nextSampleAt = Atomic<UInt64>(0)
    private let previous: Mutex<(wall: UInt64, cpu: UInt64)>

    init() {
        cpus = Self.availableCPUs()
        previous = Mutex((MonotonicClock.now(), Self.processCPUNanoseconds()))
    }

    func current() -> Double {
        let now = MonotonicClock.now()
        let due = nextSampleAt.load(ordering: .relaxed)
        if now >= due, nextSampleAt.compareExchange(expected: due, desired: now + Self.interval, ordering: .relaxed).exchanged {
            sample(at: now)
        }
        return Double(bitPattern: usageBits.load(ordering: .relaxed))
    }

    private func sample(at now: UInt64) {
        let cpu = Self.processCPUNanoseconds()
        let busy = previous.withLock { previous -> Double in
            defer { previous = (now, cpu) }
            let wall = now &- previous.wall
            guard wall > 0 else { return 0 }
            return Double(cpu &- previous.cpu) / Double(wall) / cpus
        }
        let old = Double(bitPattern: usageBits.load(ordering: .relaxed))
        let smoothed = old * (1 - Self.newSampleWeight) + min(max(busy, 0), 1) * Self.newSampleWeight
        usageBits.store(smoothed.bitPattern, ordering: .relaxed)
    }

    /// User and system CPU time of the process so far.
    private static func processCPUNanoseconds() -> UInt64 {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        let micros = (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return UInt64(max(micros, 0)) * 1000
    }

    private static func availableCPUs() -> Double {
        let cores = Double(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1))
        guard let quota = cgroupQuota() else { return cores }
        return min(cores, max(quota, 0.1))
    }

    /// The cgroup v2 CPU quota in CPUs, such as 0.5 for "50000 100000", or
    /// nil when unlimited or unknown.
    private static func cgroupQuota() -> Double? {
        guard let file = fopen("/sys/fs/cgroup/cpu.max", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = fread(&buffer, 1, buffer.count, file)
        let fields = String(decoding: buffer[..<count], as: UTF8.self).split { $0 == " " || $0 == "\n" }
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return quota / period
    }
}
