import CStratusAllocationCounter
import Foundation
import StratusNet
import StratusResilience
import Synchronization

/// The per-decision cost of each policy: nanoseconds and heap allocation
/// calls per decision, on one thread and on two threads sharing one policy.
enum DecisionBench {
    /// One policy operation, run `iterations` times in a row on the calling
    /// thread by `run`, which returns how many were admitted.
    struct Case: Sendable {
        let name: String
        let run: @Sendable (Int) -> Int
    }

    struct Measurement {
        let name: String
        let threads: Int
        let nanosecondsPerDecision: Double
        let allocationsPerDecision: Double
        let admittedShare: Double
    }

    static func run(iterations: Int) throws -> [[String: Any]] {
        try checkAllocationCounter()
        var rows: [[String: Any]] = []
        for threads in [1, 2] {
            for testCase in cases() {
                let measurement = measure(testCase, threads: threads, iterations: iterations)
                FileHandle.standardError.write(Data(format(measurement).utf8))
                rows.append([
                    "name": measurement.name,
                    "threads": threads,
                    "ns_per_decision": (measurement.nanosecondsPerDecision * 10).rounded() / 10,
                    "allocations_per_decision": measurement.allocationsPerDecision,
                    "admitted_share": (measurement.admittedShare * 1000).rounded() / 1000,
                ])
            }
        }
        return rows
    }

    /// Fails when the interposed malloc does not see an allocation that
    /// surely happens, so that a count of 0 always means none.
    private static func checkAllocationCounter() throws {
        let before = cstratus_thread_allocations()
        let array = [Int](repeating: 7, count: 100 + CommandLine.arguments.count)
        let after = cstratus_thread_allocations()
        guard after > before, array.count > 100 else {
            throw BenchError("the allocation counter missed an array allocation (\(before) before, \(after) after): is CStratusAllocationCounter's malloc linked into the executable?")
        }
    }

    private static func format(_ measurement: Measurement) -> String {
        let name = measurement.name.padding(toLength: 52, withPad: " ", startingAt: 0)
        return "\(name) \(measurement.threads) thread(s): \(String(format: "%7.1f", measurement.nanosecondsPerDecision)) ns, "
            + "\(String(format: "%.3f", measurement.allocationsPerDecision)) allocations per decision\n"
    }

    /// Runs `testCase` on `threads` threads at once, each `iterations`
    /// times after a warm-up, and averages the threads' results.
    private static func measure(_ testCase: Case, threads: Int, iterations: Int) -> Measurement {
        let results = Mutex<[(nanoseconds: UInt64, allocations: UInt64, admitted: Int)]>([])
        let ready = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            let thread = Thread {
                _ = testCase.run(iterations / 10)
                ready.add(1, ordering: .acquiringAndReleasing)
                while ready.load(ordering: .acquiring) < threads {}
                let allocationsBefore = cstratus_thread_allocations()
                let start = MonotonicClock.now()
                let admitted = testCase.run(iterations)
                let elapsed = MonotonicClock.now() - start
                let allocations = cstratus_thread_allocations() - allocationsBefore
                results.withLock { $0.append((elapsed, allocations, admitted)) }
                done.signal()
            }
            thread.start()
        }
        for _ in 0..<threads {
            done.wait()
        }
        let all = results.withLock { $0 }
        let total = Double(iterations * threads)
        return Measurement(
            name: testCase.name,
            threads: threads,
            nanosecondsPerDecision: all.reduce(0) { $0 + Double($1.nanoseconds) } / total,
            allocationsPerDecision: Double(all.reduce(0) { $0 + $1.allocations }) / total,
            admittedShare: Double(all.reduce(0) { $0 + $1.admitted }) / total
        )
    }

    /// Returns the cases, each with a fresh policy on its default clock.
    static func cases() -> [Case] {
        baselineCases() + rateLimiterCases() + breakerCases() + shedderCases()
    }

    /// Returns the baselines of shared state: an atomic add, and a lock
    /// taken and released, each on memory that every thread of the case
    /// shares.
    private static func baselineCases() -> [Case] {
        let shared = SharedState()
        return [
            Case(name: "baseline: Atomic<Int>.add, shared") { iterations in
                count(iterations) { shared.counter.add(1, ordering: .relaxed).newValue > 0 }
            },
            Case(name: "baseline: Mutex lock+unlock, shared") { iterations in
                count(iterations) { shared.lock.withLock { $0 += 1; return $0 > 0 } }
            },
        ]
    }

    private static func rateLimiterCases() -> [Case] {
        let bucket = TokenBucketLimiter(rate: 1e12, burst: 1_000_000)
        let emptyBucket = TokenBucketLimiter(rate: 1, burst: 1)
        let window = SlidingWindowLimiter(limit: Int(UInt32.max), window: .seconds(3_600))
        let fullWindow = SlidingWindowLimiter(limit: 1, window: .seconds(3_600))
        let slots = ConcurrencyLimiter(limit: 1_000)
        let keyed = KeyedRateLimiter(.tokenBucket(rate: 1e12, burst: 1_000_000), maxKeys: 10_000)
        let keys = (0..<1_000).map { "10.0.\($0 / 256).\($0 % 256)" }
        return [
            Case(name: "TokenBucketLimiter.acquire") { count($0) { bucket.acquire().isAdmitted } },
            Case(name: "TokenBucketLimiter.acquire, rejecting") { count($0) { emptyBucket.acquire().isAdmitted } },
            Case(name: "SlidingWindowLimiter.acquire") { count($0) { window.acquire().isAdmitted } },
            Case(name: "SlidingWindowLimiter.acquire, rejecting") { count($0) { fullWindow.acquire().isAdmitted } },
            Case(name: "ConcurrencyLimiter.acquire+release") {
                count($0) {
                    let admitted = slots.acquire().isAdmitted
                    if admitted { slots.release() }
                    return admitted
                }
            },
            Case(name: "KeyedRateLimiter.acquire, 1,000 keys") { iterations in
                // Threads start at random keys, as requests of different clients would.
                var index = Int.random(in: 0..<keys.count)
                return count(iterations) {
                    index = index == keys.count - 1 ? 0 : index + 1
                    return keyed.acquire(key: keys[index]).isAdmitted
                }
            },
        ]
    }

    private static func breakerCases() -> [Case] {
        let breaker = CircuitBreaker()
        let rateBreaker = CircuitBreaker(configuration: .init(consecutiveFailures: 5, failureRate: .init()))
        let healthy = AdaptiveThrottle()
        let failing = AdaptiveThrottle()
        return [
            Case(name: "CircuitBreaker.admit+recordSuccess") {
                count($0) {
                    let admitted = breaker.admit().isAdmitted
                    breaker.recordSuccess()
                    return admitted
                }
            },
            Case(name: "CircuitBreaker.admit+recordSuccess, failure rate") {
                count($0) {
                    let admitted = rateBreaker.admit().isAdmitted
                    rateBreaker.recordSuccess()
                    return admitted
                }
            },
            Case(name: "AdaptiveThrottle.admit+record") {
                count($0) {
                    let admitted = healthy.admit().isAdmitted
                    healthy.record(accepted: true)
                    return admitted
                }
            },
            Case(name: "AdaptiveThrottle.admit+record, throttling") {
                count($0) {
                    let admitted = failing.admit().isAdmitted
                    failing.record(accepted: false)
                    return admitted
                }
            },
        ]
    }

    private static func shedderCases() -> [Case] {
        let idle = LoadShedder(cpuUsage: { 0.1 })
        let busy = LoadShedder(cpuUsage: { 1 })
        return [
            Case(name: "LoadShedder.admit+complete") { count($0) { admitAndComplete(idle) } },
            Case(name: "LoadShedder.admit+complete, CPU busy") { count($0) { admitAndComplete(busy) } },
        ]
    }

    private final class SharedState: Sendable {
        let counter = Atomic<Int>(0)
        let lock = Mutex<Int>(0)
    }

    @inline(__always)
    private static func admitAndComplete(_ shedder: LoadShedder) -> Bool {
        let (decision, startedAt) = shedder.admit()
        guard decision.isAdmitted else { return false }
        shedder.complete(startedAt: startedAt)
        return true
    }

    /// Runs `decide` `iterations` times and counts the admissions.
    @inline(__always)
    private static func count(_ iterations: Int, _ decide: () -> Bool) -> Int {
        var admitted = 0
        for _ in 0..<iterations where decide() {
            admitted &+= 1
        }
        return admitted
    }
}
