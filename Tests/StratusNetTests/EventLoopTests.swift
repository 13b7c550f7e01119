import Dispatch
import StratusNet
import Synchronization
import Testing

/// A timer that fired: its label, its deadline and the clock when it ran.
private struct FiredTimer: Sendable {
    var label: String
    var deadline: UInt64
    var firedAt: UInt64
    var loopNow: UInt64
}

private actor Counter {
    var value = 0

    func increment() -> Int {
        value += 1
        return value
    }
}

/// Counts closure runs from any thread.
private final class RunCounter: Sendable {
    let total = Atomic<Int>(0)
    let offLoop = Atomic<Int>(0)
    let perID: Mutex<[Int]>

    init(count: Int) {
        perID = Mutex([Int](repeating: 0, count: count))
    }
}

@Suite struct EventLoopTests {
    @Test func executeRunsOnLoopThread() async throws {
        try await withEventLoop { loop in
            #expect(!loop.inEventLoop)
            #expect(EventLoop.current == nil)

            let (inEventLoop, isCurrent) = await loop.submit { (loop.inEventLoop, EventLoop.current === loop) }

            #expect(inEventLoop)
            #expect(isCurrent)
        }
    }

    @Test func concurrentExecuteRunsEachOnce() async throws {
        try await withEventLoop { loop in
            let threads = 4
            let perThread = 2000
            let total = threads * perThread
            let counter = RunCounter(count: total)
            let finished = EventLog<Int>()

            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for offset in 0..<perThread {
                    let id = thread * perThread + offset
                    loop.execute {
                        if !loop.inEventLoop {
                            counter.offLoop.add(1, ordering: .relaxed)
                        }
                        counter.perID.withLock { $0[id] += 1 }
                        if counter.total.add(1, ordering: .relaxed).newValue == total {
                            finished.append(total)
                        }
                    }
                }
            }

            #expect(await finished.wait { !$0.isEmpty }, "timed out waiting for \(total) closures")
            // Closures submitted before this one have run, so no late duplicate can appear after it.
            await loop.submit {}
            #expect(counter.total.load(ordering: .relaxed) == total)
            #expect(counter.offLoop.load(ordering: .relaxed) == 0)
            #expect(counter.perID.withLock { $0.allSatisfy { $0 == 1 } })
        }
    }

    @Test func executeFromLoopRunsAfterCurrentClosure() async throws {
        try await withEventLoop { loop in
            let order = EventLog<String>()

            await loop.submit {
                loop.execute { order.append("nested") }
                order.append("outer")
            }

            #expect(await order.wait { $0.count == 2 })
            #expect(order.events == ["outer", "nested"])
        }
    }

    @Test func timersFireInDeadlineOrder() async throws {
        try await withEventLoop { loop in
            let fired = EventLog<FiredTimer>()

            await loop.submit {
                let base = MonotonicClock.now()
                let plan: [(String, UInt64)] = [
                    ("c", 60_000_000), ("a", 20_000_000), ("b1", 40_000_000), ("b2", 40_000_000), ("past", 0),
                ]
                for (label, offset) in plan {
                    let deadline = base + offset
                    loop.scheduleTimer(at: deadline) {
                        fired.append(FiredTimer(label: label, deadline: deadline, firedAt: MonotonicClock.now(), loopNow: loop.now))
                    }
                }
            }

            #expect(await fired.wait { $0.count == 5 }, "timed out waiting for 5 timers")
            let events = fired.events
            #expect(events.map(\.label) == ["past", "a", "b1", "b2", "c"])
            for timer in events {
                #expect(timer.firedAt >= timer.deadline, "timer \(timer.label) fired early")
                #expect(timer.loopNow >= timer.deadline, "loop time was before the deadline of \(timer.label)")
            }
        }
    }

    @Test func timerAfterDelayWaitsForDelay() async throws {
        try await withEventLoop { loop in
            let fired = EventLog<UInt64>()
            let delay = Duration.milliseconds(30)

            let start = await loop.submit {
                let start = MonotonicClock.now()
                loop.scheduleTimer(after: delay) { fired.append(MonotonicClock.now()) }
                return start
            }

            #expect(await fired.wait { !$0.isEmpty })
            let elapsed = (fired.events.first ?? 0) - start
            #expect(elapsed >= delay.nanoseconds)
        }
    }

    @Test func cancelledTimerNeverFires() async throws {
        try await withEventLoop { loop in
            let fired = EventLog<String>()

            await loop.submit {
                let cancelled = loop.scheduleTimer(after: .milliseconds(10)) { fired.append("cancelled") }
                loop.scheduleTimer(after: .milliseconds(40)) { fired.append("sync point") }
                loop.cancelTimer(cancelled)
            }

            #expect(await fired.wait { $0.contains("sync point") })
            #expect(fired.events == ["sync point"])
        }
    }

    @Test func atTickEndRunsAfterCallbacks() async throws {
        try await withEventLoop { loop in
            let order = EventLog<String>()

            await loop.submit {
                // An expired timer runs in the next iteration, so after every tick-end action.
                loop.scheduleTimer(at: 0) { order.append("expired timer") }
                loop.atTickEnd {
                    order.append("tick end")
                    loop.atTickEnd { order.append("tick end added by tick end") }
                }
                loop.execute { order.append("nested closure") }
                order.append("closure")
            }

            #expect(await order.wait { $0.count == 5 })
            #expect(order.events == ["closure", "nested closure", "tick end", "tick end added by tick end", "expired timer"])
        }
    }

    @Test func taskWithPreferenceStaysOnLoop() async throws {
        try await withEventLoop { loop in
            let counter = Counter()

            let observations = await Task(executorPreference: loop) { () -> [String: Bool] in
                var observations: [String: Bool] = [:]
                observations["start"] = loop.inEventLoop
                observations["current"] = EventLoop.current === loop
                await Task.yield()
                observations["after yield"] = loop.inEventLoop
                _ = await counter.increment()
                observations["after actor"] = loop.inEventLoop
                try? await Task.sleep(for: .milliseconds(1))
                observations["after sleep"] = loop.inEventLoop
                return observations
            }.value

            for step in ["start", "current", "after yield", "after actor", "after sleep"] {
                #expect(observations[step] == true, "not on the loop thread at \(step)")
            }
        }
    }

    @Test func manyTasksWithPreferenceComplete() async throws {
        try await withEventLoop { loop in
            let counter = Counter()

            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<100 {
                    group.addTask(executorPreference: loop) {
                        await Task.yield()
                        _ = await counter.increment()
                        return loop.inEventLoop
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }

            #expect(results.count == 100)
            #expect(results.allSatisfy { $0 })
            #expect(await counter.value == 100)
        }
    }
}
