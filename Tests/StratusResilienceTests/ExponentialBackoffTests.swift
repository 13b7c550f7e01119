import Testing
import StratusResilience

/// A seeded generator (SplitMix64), so that drawn delays repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

@Suite struct ExponentialBackoffTests {
    @Test func ceilingDoublesUpToMaximum() {
        let backoff = ExponentialBackoff(base: .milliseconds(10), maximum: .milliseconds(70))
        #expect(backoff.ceiling(forRetry: 1) == .milliseconds(10))
        #expect(backoff.ceiling(forRetry: 2) == .milliseconds(20))
        #expect(backoff.ceiling(forRetry: 3) == .milliseconds(40))
        #expect(backoff.ceiling(forRetry: 4) == .milliseconds(70))
        #expect(backoff.ceiling(forRetry: 1_000) == .milliseconds(70), "a large retry number must not overflow")
        #expect(backoff.ceiling(forRetry: 0) == .milliseconds(10))
    }

    @Test func delaysStayWithinCeilingAndSpread() {
        let backoff = ExponentialBackoff(base: .milliseconds(100), maximum: .seconds(1))
        var generator = SeededGenerator(state: 42)
        var delays: [Duration] = []
        for _ in 0..<1_000 {
            delays.append(backoff.delay(forRetry: 3, using: &generator))
        }
        #expect(delays.allSatisfy { $0 >= .zero })
        #expect(delays.allSatisfy { $0 <= .milliseconds(400) })
        #expect(delays.contains { $0 < .milliseconds(100) }, "full jitter draws from zero up")
        #expect(delays.contains { $0 > .milliseconds(300) })
    }

    @Test func seededGeneratorRepeatsDelays() {
        let backoff = ExponentialBackoff()
        var first = SeededGenerator(state: 7)
        var second = SeededGenerator(state: 7)
        for retry in 1...5 {
            #expect(backoff.delay(forRetry: retry, using: &first) == backoff.delay(forRetry: retry, using: &second))
        }
    }

    @Test func zeroBaseGivesZeroDelay() {
        let backoff = ExponentialBackoff(base: .zero, maximum: .zero)
        #expect(backoff.delay(forRetry: 5) == .zero)
    }
}
