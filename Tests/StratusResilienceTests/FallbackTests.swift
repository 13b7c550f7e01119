import Testing
import StratusResilience

private struct BackendError: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}

@Suite struct FallbackTests {
    private let openAfterOne = CircuitBreakerState.Configuration(consecutiveFailures: 1, openDuration: .seconds(10), probeLimit: 1)

    @Test func admittedOperationReturnsItsValue() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        let value = try await withFallback(limiter) {
            #expect(limiter.current == 1)
            return "fresh"
        } fallback: { _ in
            "cached"
        }
        #expect(value == "fresh")
        #expect(limiter.current == 0, "the slot is released")
    }

    @Test func rejectionRunsFallbackWithReason() async throws {
        let clock = ManualClock()
        let limiter = TokenBucketLimiter(rate: 2, burst: 1, clock: clock.clock)
        _ = limiter.acquire()
        var ran = false
        let value = try await withFallback(limiter) {
            ran = true
            return "fresh"
        } fallback: { cause in
            guard case .rejected(let rejection) = cause else { return "wrong cause" }
            #expect(rejection == PolicyRejection(reason: .rateLimited, retryAfter: .milliseconds(500)))
            return "cached"
        }
        #expect(value == "cached")
        #expect(!ran, "a rejected operation does not run")
    }

    @Test func failureRunsFallbackAndReachesBreaker() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: openAfterOne, clock: clock.clock)
        let value = try await withFallback(breaker) { () async throws -> String in
            throw BackendError()
        } fallback: { cause in
            guard case .failed(let error) = cause else { return "wrong cause" }
            return "default after \(error)"
        }
        #expect(value == "default after connection refused")
        #expect(breaker.phase == .open(until: clock.now + 10_000_000_000))
        #expect(breaker.recentFailures == ["connection refused"])
        let rejected = try await withFallback(breaker) { "fresh" } fallback: { cause in
            guard case .rejected(let rejection) = cause else { return "wrong cause" }
            return rejection.reason.rawValue
        }
        #expect(rejected == "circuit_open")
    }

    @Test func cancellationFreesProbeWithoutFallback() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: openAfterOne, clock: clock.clock)
        breaker.recordFailure(reason: "timeout")
        clock.advance(nanoseconds: 10_000_000_000)
        await #expect(throws: CancellationError.self) {
            _ = try await withFallback(breaker) { () async throws -> String in
                throw CancellationError()
            } fallback: { _ in
                Issue.record("a cancelled operation must not fall back")
                return "cached"
            }
        }
        #expect(breaker.phase == .halfOpen)
        #expect(breaker.admit().isAdmitted, "the cancelled probe's slot is free again")
    }

    @Test func runThrowsRejection() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        _ = limiter.acquire()
        await #expect(throws: PolicyRejection(reason: .concurrencyLimited, retryAfter: .zero)) {
            try await limiter.run { "fresh" }
        }
    }

    @Test func chainReleasesFirstWhenSecondRejects() async throws {
        let slots = ConcurrencyLimiter(limit: 5)
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: openAfterOne, clock: clock.clock)
        breaker.recordFailure(reason: "timeout")
        let chain = slots.followed(by: breaker)
        let value = try await withFallback(chain) { "fresh" } fallback: { cause in
            guard case .rejected(let rejection) = cause else { return "wrong cause" }
            return rejection.reason.rawValue
        }
        #expect(value == "circuit_open")
        #expect(slots.current == 0, "the slot taken before the breaker rejected is released")
    }

    @Test func sheddersPermitIsItsStartTime() async throws {
        let clock = ManualClock()
        let shedder = LoadShedder(clock: clock.clock, cpuUsage: { 0 })
        let value = try await shedder.run {
            #expect(shedder.requestsInFlight == 1)
            return 42
        }
        #expect(value == 42)
        #expect(shedder.requestsInFlight == 0)
    }

    @Test(arguments: [
        (Duration.zero, 1), (.milliseconds(1), 1), (.seconds(1), 1), (.milliseconds(1_001), 2), (.seconds(30), 30),
    ])
    func retryAfterSecondsRoundsUpToAtLeastOne(retryAfter: Duration, seconds: Int) {
        #expect(PolicyRejection(reason: .overloaded, retryAfter: retryAfter).retryAfterSeconds == seconds)
    }
}
