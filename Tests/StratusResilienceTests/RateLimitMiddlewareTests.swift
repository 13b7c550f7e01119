import StratusHTTP
import StratusResilience
import Testing

@Suite struct RateLimitMiddlewareTests {
    @Test func rejectsWith429RetryAfterAndJSONOverTheWire() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 0.5, burst: 2), clock: clock.clock)
        try await withServer(responder: responder([limit])) { port in
            let client = HTTPClient()
            defer { client.shutdown() }
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/work")
            var statuses: [Int] = []
            var last: (HTTPClientResponse, [UInt8])?
            for _ in 0..<3 {
                let (response, body) = try await client.execute(request, collectingUpTo: 4096)
                statuses.append(response.status.code)
                last = (response, body)
            }
            #expect(statuses == [200, 200, 429])
            let (response, body) = try #require(last)
            #expect(response.headers["Retry-After"] == "2", "the next token is 2 s away at 0.5/s")
            #expect(response.headers["Content-Type"] == "application/json")
            let json = try jsonObject(String(decoding: body, as: UTF8.self))
            #expect(json["reason"] as? String == "rate_limited")
            #expect(json["retry_after_seconds"] as? Int == 2)
            #expect(json["message"] as? String == "too many requests")
        }
        #expect(limit.counters.admitted == 2)
        #expect(limit.counters.rejected == 1)
    }

    @Test func retryAfterRoundsUpToWholeSeconds() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 4, burst: 1), clock: clock.clock)
        let chain = responder([limit])
        _ = try await get(from: chain)
        let rejected = try await get(from: chain)
        #expect(rejected.status == .tooManyRequests)
        #expect(rejected.headers["Retry-After"] == "1", "250 ms rounds up to 1 s")
    }

    @Test func headerKeysAreIsolated() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 1), key: .header("X-API-Key"), clock: clock.clock)
        let chain = responder([limit])
        let alice: HTTPFields = ["X-API-Key": "alice"]
        let bob: HTTPFields = ["X-API-Key": "bob"]
        #expect(try await get(from: chain, headers: alice).status == .ok)
        #expect(try await get(from: chain, headers: alice).status == .tooManyRequests)
        #expect(try await get(from: chain, headers: bob).status == .ok, "bob has his own quota")
        #expect(try await get(from: chain).status == .ok, "requests without the header share one quota")
        #expect(try await get(from: chain).status == .tooManyRequests)
        #expect(limit.limiter.keyCount == 3)
    }

    @Test func clientAddressKeyIgnoresThePort() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 1), key: .clientAddress, clock: clock.clock)
        let chain = responder([limit])
        #expect(try await get(from: chain, remoteAddress: "[::1]:50000").status == .ok)
        #expect(try await get(from: chain, remoteAddress: "[::1]:50001").status == .tooManyRequests)
        #expect(try await get(from: chain, remoteAddress: "10.1.2.3:50000").status == .ok)
        #expect(try await get(from: chain, remoteAddress: "10.1.2.3:50002").status == .tooManyRequests)
    }

    @Test func clientAddressKeyOverTheWire() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 1), key: .clientAddress, clock: clock.clock)
        try await withServer(responder: responder([limit])) { port in
            // Two clients, so two connections from two source ports.
            for (index, client) in [HTTPClient(), HTTPClient()].enumerated() {
                let (response, _) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/work"), collectingUpTo: 4096)
                #expect(response.status.code == (index == 0 ? 200 : 429))
                client.shutdown()
            }
        }
        #expect(limit.limiter.keyCount == 1)
    }

    @Test func routeKeyLimitsEachRoute() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.slidingWindow(limit: 1, window: .seconds(1)), key: .route, clock: clock.clock)
        let chain = responder([limit])
        #expect(try await get("/work", from: chain).status == .ok)
        #expect(try await get("/other", from: chain).status == .ok)
        #expect(try await get("/work", from: chain).status == .tooManyRequests)
    }

    @Test func keyTableStaysBounded() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 1), key: .header("X-API-Key"), maxKeys: 50, clock: clock.clock)
        let chain = responder([limit])
        for index in 0..<2_000 {
            #expect(try await get(from: chain, headers: ["X-API-Key": "key-\(index)"]).status == .ok)
        }
        #expect(limit.limiter.keyCount == 50)
    }

    @Test func dryRunPassesAndCounts() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 2), mode: .dryRun, clock: clock.clock)
        let chain = responder([limit])
        for _ in 0..<5 {
            #expect(try await get(from: chain).status == .ok)
        }
        #expect(limit.counters.admitted == 5)
        #expect(limit.counters.wouldReject == 3)
        #expect(limit.counters.rejected == 0)
    }

    @Test func quotaFieldsWhenEnabled() async throws {
        let clock = ManualClock()
        let limit = RateLimitMiddleware(.tokenBucket(rate: 1, burst: 2), includesQuotaFields: true, clock: clock.clock)
        let chain = responder([limit])
        let first = try await get(from: chain)
        #expect(first.headers["RateLimit-Limit"] == "2")
        #expect(first.headers["RateLimit-Remaining"] == "1")
        #expect(first.headers["RateLimit-Reset"] == "1", "one token short of full at 1/s")
        _ = try await get(from: chain)
        let third = try await get(from: chain)
        #expect(third.status == .tooManyRequests)
        #expect(third.headers["RateLimit-Remaining"] == "0")
        #expect(third.headers["RateLimit-Reset"] == "2")
        let plain = try await get(from: responder([RateLimitMiddleware(.tokenBucket(rate: 1, burst: 2), clock: clock.clock)]))
        #expect(plain.headers["RateLimit-Limit"] == nil, "off by default")
    }
}
