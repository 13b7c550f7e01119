@testable import StratusGatewayPolicies
import StratusResilience
import Testing

/// The cluster limiter's state machine alone, with integer waiters and
/// nanosecond times: no store, no tasks.
@Suite struct ClusterLimiterStateTests {
    static let second: UInt64 = 1_000_000_000
    /// A window start far from zero, like the epoch.
    static let start: UInt64 = 1_000 * second

    func state(rate: Double = 100, replicas: Int = 2, prefetch: Bool = false) -> ClusterLimiterState<Int> {
        ClusterLimiterState(settings: .init(
            quota: WindowQuota(rate: rate, window: .seconds(1)),
            fallbackQuota: WindowQuota(rate: rate / Double(replicas), window: .seconds(1)),
            replicas: replicas,
            leaseInterval: Self.second / 10,
            retryInterval: Self.second,
            prefetch: prefetch
        ))
    }

    @Test func firstRequestWaitsForALease() {
        var machine = state()
        let probe = machine.acquire(now: Self.start, waiter: nil)
        guard case .mustWait = probe.step else { Issue.record("expected mustWait"); return }
        #expect(probe.lease == nil)
        let queued = machine.acquire(now: Self.start, waiter: 1)
        guard case .queued = queued.step else { Issue.record("expected queued"); return }
        let plan = try! #require(queued.lease)
        #expect(plan.window == 1_000)
        #expect(plan.count >= 1)
        #expect(machine.leaseInFlight)
        let second = machine.acquire(now: Self.start, waiter: 2)
        #expect(second.lease == nil, "one lease at a time")

        let completion = machine.leaseSucceeded(plan, granted: 5, used: 5, now: Self.start)
        #expect(completion.resolved.map(\.0) == [1, 2])
        #expect(completion.resolved.allSatisfy { $0.1 == .admitted })
        #expect(machine.tokens == 3)
        #expect(!machine.leaseInFlight)
    }

    /// Spends the whole first window's quota and sends `extra` requests
    /// more, which are rejected: demand of quota + `extra` in that window.
    func overload(_ machine: inout ClusterLimiterState<Int>, quota: Int64, extra: Int) {
        let plan = machine.acquire(now: Self.start, waiter: 0).lease!
        _ = machine.leaseSucceeded(plan, granted: quota, used: quota, now: Self.start)
        for _ in 0..<(Int(quota) - 1 + extra) {
            _ = machine.acquire(now: Self.start, waiter: nil)
        }
    }

    @Test func chunksAreCappedByTheRemainingShare() {
        var machine = state(rate: 100, replicas: 2)
        overload(&machine, quota: 100, extra: 900)
        let next = Self.start + Self.second
        _ = machine.acquire(now: next, waiter: nil)
        let plan = try! #require(machine.acquire(now: next, waiter: 1).lease)
        #expect(plan.count == 25, "100 remaining / (2 × 2 replicas), below the demand of 100 per 100 ms")
        _ = machine.leaseSucceeded(plan, granted: 25, used: 90, now: next)
        #expect(machine.chunkSize(next) == 2, "10 remaining / 4, rounded down")
    }

    @Test func chunksFollowDemand() {
        var machine = state(rate: 1_000, replicas: 2)
        overload(&machine, quota: 1_000, extra: 0)
        let next = Self.start + Self.second
        let plan = try! #require(machine.acquire(now: next, waiter: 1).lease)
        #expect(plan.count == 100, "1,000 per second over the 100 ms lease interval")
    }

    @Test func exhaustedWindowRejectsUntilItEnds() {
        var machine = state(rate: 2)
        let plan = try! #require(machine.acquire(now: Self.start, waiter: 1).lease)
        let completion = machine.leaseSucceeded(plan, granted: 2, used: 2, now: Self.start)
        #expect(completion.resolved.count == 1)
        #expect(machine.acquire(now: Self.start, waiter: nil).step.decision == .admitted)
        let rejected = machine.acquire(now: Self.start + Self.second / 4, waiter: nil)
        #expect(rejected.step.decision == .rejected(retryAfter: .milliseconds(750)))
        #expect(rejected.lease == nil, "no store traffic once the window is used up")
        let nextWindow = machine.acquire(now: Self.start + Self.second, waiter: nil)
        guard case .mustWait = nextWindow.step else { Issue.record("a new window needs a new lease"); return }
    }

    @Test func waitersBeyondTheGrantAreRejectedWhenExhausted() {
        var machine = state(rate: 2)
        let plan = try! #require(machine.acquire(now: Self.start, waiter: 1).lease)
        _ = machine.acquire(now: Self.start, waiter: 2)
        _ = machine.acquire(now: Self.start, waiter: 3)
        let completion = machine.leaseSucceeded(plan, granted: 1, used: 2, now: Self.start)
        #expect(completion.resolved.map(\.0) == [1, 2, 3])
        #expect(completion.resolved.map(\.1.isAdmitted) == [true, false, false])
        #expect(completion.nextLease == nil)
    }

    @Test func staleLeaseIsDropped() {
        var machine = state()
        let plan = try! #require(machine.acquire(now: Self.start, waiter: 1).lease)
        let later = Self.start + Self.second
        let completion = machine.leaseSucceeded(plan, granted: 10, used: 10, now: later)
        #expect(machine.tokens == 0, "tokens of an ended window cannot be spent")
        #expect(completion.resolved.isEmpty)
        #expect(completion.nextLease?.window == 1_001, "the waiter needs a lease of the new window")
    }

    @Test func failureDegradesToTheLocalShareAndProbes() {
        var machine = state(rate: 10, replicas: 2)
        let plan = try! #require(machine.acquire(now: Self.start, waiter: 1).lease)
        _ = plan
        let failed = machine.leaseFailed(now: Self.start)
        #expect(failed.degraded)
        #expect(failed.resolved.map(\.1) == [.admitted])
        var admitted = 1
        for _ in 0..<20 where machine.acquire(now: Self.start, waiter: nil).step.decision == .admitted {
            admitted += 1
        }
        #expect(admitted == 5, "10 / 2 replicas per window")
        let probe = machine.acquire(now: Self.start + Self.second, waiter: nil)
        #expect(probe.step.decision == .admitted, "decided locally while the probe runs")
        let probePlan = try! #require(probe.lease)
        let recovered = machine.leaseSucceeded(probePlan, granted: 3, used: 3, now: Self.start + Self.second)
        #expect(recovered.recovered)
        #expect(!machine.isDegraded)
        #expect(machine.tokens == 3)
    }

    @Test func prefetchStartsBeforeTokensRunOut() {
        var machine = state(rate: 1_000, prefetch: true)
        overload(&machine, quota: 1_000, extra: 0)
        let next = Self.start + Self.second
        let plan = try! #require(machine.acquire(now: next, waiter: 1).lease)
        _ = machine.leaseSucceeded(plan, granted: plan.count, used: plan.count, now: next)
        var prefetchedWith: Int64?
        for _ in 0..<plan.count {
            if machine.acquire(now: next, waiter: nil).lease != nil {
                prefetchedWith = machine.tokens
                break
            }
        }
        let left = try! #require(prefetchedWith)
        #expect(left == plan.count / 4, "the next lease starts with a quarter of the chunk left")
        #expect(left > 0)
    }

    @Test func windowQuotaSpreadsFractions() {
        let quota = WindowQuota(rate: 2.5, window: .seconds(1))
        let grants = (1_000..<1_004).map { quota.tokens(in: $0) }
        #expect(grants.reduce(0, +) == 10)
        #expect(Set(grants) == [2, 3])
        let slow = WindowQuota(rate: 0.5, window: .seconds(1))
        #expect((0..<10).map { slow.tokens(in: $0) }.reduce(0, +) == 5)
    }
}

extension ClusterLimiterState.Step {
    var decision: PolicyDecision? {
        if case .decided(let decision) = self { return decision }
        return nil
    }
}
