import StratusHTTP
import StratusResilience
import Synchronization
import Testing

private struct HandlerError: Error {}

@Suite struct ConcurrencyLimitMiddlewareTests {
    @Test func over503WithRetryAfterOverTheWire() async throws {
        let limit = ConcurrencyLimitMiddleware(limit: 1)
        // The handler waits until the test finishes the stream.
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let chain = responder([limit]) { _, _ in
            for await _ in release {}
            return Response.text("done")
        }
        try await withServer(responder: chain) { port in
            let client = HTTPClient()
            defer { client.shutdown() }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/work")
            let first = Task { try await client.execute(request, collectingUpTo: 4096).0.status.code }
            try await waitUntil("the first request holds the slot") { limit.limiter.current == 1 }
            let (response, body) = try await client.execute(request, collectingUpTo: 4096)
            #expect(response.status.code == 503)
            #expect(response.headers["Retry-After"] == "1")
            #expect(try jsonObject(String(decoding: body, as: UTF8.self))["reason"] as? String == "concurrency_limited")
            releaseContinuation.finish()
            #expect(try await first.value == 200)
        }
        #expect(limit.counters.rejected == 1)
        #expect(limit.limiter.current == 0)
    }

    @Test func slotIsReleasedWhenHandlerThrows() async throws {
        let limit = ConcurrencyLimitMiddleware(limit: 1)
        let chain = responder([limit]) { _, _ in throw HandlerError() }
        await #expect(throws: HandlerError.self) { _ = try await get(from: chain) }
        #expect(limit.limiter.current == 0)
    }
}

@Suite struct LoadSheddingMiddlewareTests {
    /// Returns a shedder that has learned a limit of 5 in flight (50 completions of
    /// 10 ms per 100 ms bucket), with its CPU reading at 95 %.
    private func busyShedder(mode: EnforcementMode = .enforce) -> LoadShedder {
        let clock = ManualClock()
        let cpu = CPUGauge()
        let shedder = LoadShedder(mode: mode, clock: clock.clock, cpuUsage: cpu.read)
        for _ in 0..<20 {
            for _ in 0..<50 {
                _ = shedder.admit()
                shedder.complete(startedAt: clock.now - 10_000_000)
            }
            clock.advance(nanoseconds: 100_000_000)
        }
        cpu.set(0.95)
        return shedder
    }

    @Test func overloaded503WithRetryAfter() async throws {
        let shedder = busyShedder()
        let held = (0..<6).map { _ in shedder.admit() }
        #expect(held.allSatisfy { $0.decision.isAdmitted }, "the gain cycle's first bucket allows 6")
        let shedding = LoadSheddingMiddleware(shedder: shedder)
        let response = try await get(from: responder([shedding]))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers["Retry-After"] == "1")
        let json = try jsonObject(try await bodyText(response))
        #expect(json["reason"] as? String == "overloaded")
        #expect(shedding.counters.rejected == 1)
    }

    @Test func completesWhenHandlerThrows() async throws {
        let shedder = busyShedder()
        let chain = responder([LoadSheddingMiddleware(shedder: shedder)]) { _, _ in throw HandlerError() }
        await #expect(throws: HandlerError.self) { _ = try await get(from: chain) }
        #expect(shedder.requestsInFlight == 0)
    }

    @Test func completesWhenTaskIsCancelled() async throws {
        let shedder = busyShedder()
        let chain = responder([LoadSheddingMiddleware(shedder: shedder)]) { _, _ in
            try await Task.sleep(for: .seconds(3_600))
            return Response.text("never")
        }
        let request = Task { try await get(from: chain) }
        try await waitUntil("the request is in flight") { shedder.requestsInFlight == 1 }
        request.cancel()
        await #expect(throws: CancellationError.self) { _ = try await request.value }
        #expect(shedder.requestsInFlight == 0)
    }

    @Test func dryRunPassesAndCounts() async throws {
        let shedder = busyShedder(mode: .dryRun)
        let held = (0..<6).map { _ in shedder.admit() }
        let shedding = LoadSheddingMiddleware(shedder: shedder)
        let response = try await get(from: responder([shedding]))
        #expect(response.status == .ok)
        #expect(shedding.counters.wouldReject == 1)
        #expect(shedder.requestsInFlight == held.count, "the passed request completed")
    }
}

@Suite struct CircuitBreakerMiddlewareTests {
    @Test func serverErrorsOpenBreaker() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: .init(consecutiveFailures: 2, openDuration: .seconds(10)), clock: clock.clock)
        let calls = Atomic<Int>(0)
        let chain = responder([CircuitBreakerMiddleware(breaker: breaker)]) { request, _ in
            calls.add(1, ordering: .relaxed)
            if request.headers["X-Fail"] == "client" {
                throw HTTPError(.badRequest)
            }
            return Response(status: .internalServerError)
        }
        await #expect(throws: HTTPError.self) { _ = try await get(from: chain, headers: ["X-Fail": "client"]) }
        #expect(try await get(from: chain).status == .internalServerError)
        await #expect(throws: HTTPError.self) { _ = try await get(from: chain, headers: ["X-Fail": "client"]) }
        #expect(breaker.phase == .closed, "a 400 is a success, so the 500s were not in a row")
        #expect(try await get(from: chain).status == .internalServerError)
        #expect(try await get(from: chain).status == .internalServerError)
        clock.advance(nanoseconds: 2_500_000_000)
        let rejected = try await get(from: chain)
        #expect(rejected.status == .serviceUnavailable)
        #expect(rejected.headers["Retry-After"] == "8", "7.5 s left, rounded up")
        #expect(try jsonObject(try await bodyText(rejected))["reason"] as? String == "circuit_open")
        #expect(calls.load(ordering: .relaxed) == 5)
        #expect(breaker.recentFailures == ["status 500", "status 500", "status 500"])
    }
}
