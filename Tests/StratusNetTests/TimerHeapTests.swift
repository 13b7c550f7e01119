@testable import StratusNet
import Testing

/// Collects the labels of fired timer actions in call order.
private final class FiredLabels {
    var labels: [Int] = []
}

/// Schedules a timer that records `label` when it fires.
private func schedule(_ heap: inout TimerHeap, at deadline: UInt64, label: Int, into fired: FiredLabels) -> UInt64 {
    heap.schedule(at: deadline) { fired.labels.append(label) }
}

/// Runs the actions that expire at `now` and returns their labels.
private func fire(_ heap: inout TimerHeap, now: UInt64, fired: FiredLabels) -> [Int] {
    fired.labels = []
    for action in heap.takeExpired(now: now) {
        action()
    }
    return fired.labels
}

/// SplitMix64: a small seeded generator, so a failing run can be repeated.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct TimerHeapTests {
    @Test func firesByDeadlineThenInsertion() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        for (label, deadline) in [(1, 30), (2, 10), (3, 20), (4, 10), (5, 20), (6, 0)] as [(Int, UInt64)] {
            _ = schedule(&heap, at: deadline, label: label, into: fired)
        }

        #expect(fire(&heap, now: 100, fired: fired) == [6, 2, 4, 3, 5, 1])
        #expect(heap.isEmpty)
    }

    @Test func emptyHeapHasNoDeadline() {
        var heap = TimerHeap()

        #expect(heap.isEmpty)
        #expect(heap.nextDeadline() == nil)
        #expect(heap.takeExpired(now: .max).isEmpty)
    }

    @Test func scheduleReturnsDistinctIDs() {
        var heap = TimerHeap()
        let ids = (0..<100).map { _ in heap.schedule(at: 5) {} }

        #expect(Set(ids).count == ids.count)
    }

    @Test func cancelledTimerDoesNotFire() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        _ = schedule(&heap, at: 10, label: 1, into: fired)
        let cancelled = schedule(&heap, at: 20, label: 2, into: fired)
        _ = schedule(&heap, at: 30, label: 3, into: fired)

        heap.cancel(cancelled)

        #expect(fire(&heap, now: 100, fired: fired) == [1, 3])
    }

    @Test func cancellingEveryTimerEmptiesHeap() {
        var heap = TimerHeap()
        let ids = (0..<10).map { heap.schedule(at: UInt64($0)) {} }

        for id in ids {
            heap.cancel(id)
        }

        #expect(heap.isEmpty)
        #expect(heap.nextDeadline() == nil)
        #expect(heap.takeExpired(now: .max).isEmpty)
    }

    @Test func cancelAfterFiringIsHarmless() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        let first = schedule(&heap, at: 10, label: 1, into: fired)
        _ = schedule(&heap, at: 20, label: 2, into: fired)
        #expect(fire(&heap, now: 10, fired: fired) == [1])

        heap.cancel(first)
        heap.cancel(9999)

        #expect(heap.nextDeadline() == 20)
        #expect(fire(&heap, now: 20, fired: fired) == [2])
    }

    @Test func nextDeadlineSkipsCancelled() {
        var heap = TimerHeap()
        let earliest = heap.schedule(at: 10) {}
        let second = heap.schedule(at: 20) {}
        _ = heap.schedule(at: 30) {}

        #expect(heap.nextDeadline() == 10)

        heap.cancel(earliest)
        #expect(heap.nextDeadline() == 20)

        heap.cancel(second)
        #expect(heap.nextDeadline() == 30)
    }

    @Test func takeExpiredIncludesDeadline() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        _ = schedule(&heap, at: 100, label: 1, into: fired)
        _ = schedule(&heap, at: 101, label: 2, into: fired)

        #expect(fire(&heap, now: 99, fired: fired) == [])
        #expect(fire(&heap, now: 100, fired: fired) == [1])
        #expect(fire(&heap, now: 100, fired: fired) == [])
        #expect(heap.nextDeadline() == 101)
        #expect(fire(&heap, now: 101, fired: fired) == [2])
        #expect(heap.isEmpty)
    }

    @Test func extremeDeadlines() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        _ = schedule(&heap, at: .max, label: 1, into: fired)
        _ = schedule(&heap, at: 0, label: 2, into: fired)

        #expect(fire(&heap, now: 0, fired: fired) == [2])
        #expect(heap.nextDeadline() == .max)
        #expect(fire(&heap, now: .max - 1, fired: fired) == [])
        #expect(fire(&heap, now: .max, fired: fired) == [1])
    }

    @Test func timerScheduledAfterTakeFiresLater() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        _ = schedule(&heap, at: 50, label: 1, into: fired)
        #expect(fire(&heap, now: 60, fired: fired) == [1])

        // A timer in the past fires at the next take, as the loop does on its next iteration.
        _ = schedule(&heap, at: 40, label: 2, into: fired)

        #expect(heap.nextDeadline() == 40)
        #expect(fire(&heap, now: 60, fired: fired) == [2])
    }

    /// Compares the heap with a plain list sorted on every take, over random
    /// schedules, cancellations and clock advances.
    @Test(arguments: [1, 42, 2024, 0xDEAD_BEEF] as [UInt64])
    func matchesSortedReference(seed: UInt64) {
        struct ReferenceTimer {
            var deadline: UInt64
            var order: Int
            var id: UInt64
            var label: Int
        }

        var generator = SplitMix64(state: seed)
        var heap = TimerHeap()
        let fired = FiredLabels()
        var live: [ReferenceTimer] = []
        var now: UInt64 = 1000
        var order = 0
        var firstMismatch: String?

        for _ in 0..<5000 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                // Some deadlines already passed and many share a value, to exercise ties.
                let deadline = now - 50 + UInt64.random(in: 0..<200, using: &generator)
                order += 1
                let id = schedule(&heap, at: deadline, label: order, into: fired)
                live.append(ReferenceTimer(deadline: deadline, order: order, id: id, label: order))
            case 5..<7:
                guard !live.isEmpty else { continue }
                let victim = live.remove(at: Int.random(in: 0..<live.count, using: &generator))
                heap.cancel(victim.id)
            default:
                now += UInt64.random(in: 0..<30, using: &generator)
                let expected = live
                    .filter { $0.deadline <= now }
                    .sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }
                    .map(\.label)
                live.removeAll { $0.deadline <= now }
                let actual = fire(&heap, now: now, fired: fired)
                if actual != expected && firstMismatch == nil {
                    firstMismatch = "takeExpired(now: \(now)) fired \(actual), expected \(expected)"
                }
            }
            let nextDeadline = heap.nextDeadline()
            let expectedDeadline = live.map(\.deadline).min()
            if nextDeadline != expectedDeadline && firstMismatch == nil {
                firstMismatch = "nextDeadline() returned \(String(describing: nextDeadline)), expected \(String(describing: expectedDeadline))"
            }
            if heap.isEmpty != live.isEmpty && firstMismatch == nil {
                firstMismatch = "isEmpty is \(heap.isEmpty) with \(live.count) live timers"
            }
        }

        #expect(firstMismatch == nil, "seed \(seed)")
        #expect(fire(&heap, now: .max, fired: fired) == live.sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }.map(\.label))
    }

    @Test func cancellingMostTimersKeepsOrder() {
        var heap = TimerHeap()
        let fired = FiredLabels()
        var kept: [(deadline: UInt64, label: Int)] = []
        // Cancelling nine in ten makes the heap rebuild itself several times.
        for label in 0..<10_000 {
            let deadline = UInt64((label * 7_919) % 10_007)
            let id = schedule(&heap, at: deadline, label: label, into: fired)
            if label % 10 == 0 {
                kept.append((deadline, label))
            } else {
                heap.cancel(id)
            }
        }
        #expect(heap.nextDeadline() == kept.map(\.deadline).min())
        #expect(fire(&heap, now: .max, fired: fired) == kept.sorted { ($0.deadline, $0.label) < ($1.deadline, $1.label) }.map(\.label))
        #expect(heap.isEmpty)
    }
}
