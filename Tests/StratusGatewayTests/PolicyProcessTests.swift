import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

/// Traffic policies of the gateway process: each enforced, each counted,
/// and each dry run counted without a rejection.
@Suite(.serialized) struct PolicyProcessTests {
    /// Returns the value of one sample in the gateway's metrics, or 0.
    static func metric(_ gateway: GatewayProcess, _ sample: String) async throws -> Double {
        let (_, exposition) = try await gateway.admin("/metrics")
        for line in exposition.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    @Test func rateLimitsPerRouteClientAndHeader() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: limited
                match: {prefix: /limited}
                upstream: echo
                policies:
                  rateLimits:
                    - {key: header, header: X-Api-Key, rate: 0.001, burst: 2}
              - name: window
                match: {prefix: /window}
                upstream: echo
                policies:
                  rateLimits:
                    - {key: clientIP, algorithm: slidingWindow, limit: 3, window: 1h}
              - name: dry
                match: {prefix: /dry}
                upstream: echo
                policies:
                  rateLimits:
                    - {key: route, rate: 0.001, burst: 1, dryRun: true}
            """)
        defer { gateway.stop() }
        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await gateway.send("/limited", headers: ["X-Api-Key": "a"]).response.status.code)
        }
        statuses.append(try await gateway.send("/limited", headers: ["X-Api-Key": "b"]).response.status.code)
        #expect(statuses == [200, 200, 429, 200])
        let (rejected, body) = try await gateway.send("/limited", headers: ["X-Api-Key": "a"])
        #expect(rejected.headers["Retry-After"] != nil)
        #expect(body.contains("\"reason\":\"rate_limited\""))

        var window: [Int] = []
        for _ in 0..<4 { window.append(try await gateway.send("/window").response.status.code) }
        #expect(window == [200, 200, 200, 429])

        for _ in 0..<3 { #expect(try await gateway.send("/dry").response.status == .ok) }
        #expect(try await Self.metric(gateway, "stratus_gateway_policy_decisions_total{decision=\"would_reject\",policy=\"rateLimit.route\",route=\"dry\"}") == 2)
        #expect(try await Self.metric(gateway, "stratus_gateway_policy_decisions_total{decision=\"rejected\",policy=\"rateLimit.header\",route=\"limited\"}") == 2)
        #expect(try await Self.metric(gateway, "stratus_gateway_requests_total{consumer=\"none\",route=\"limited\",status=\"429\",upstream=\"echo\"}") == 2)
        await upstream.stop()
    }

    @Test func concurrencyLimitRejectsBeyondInFlight() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: slow
                match: {prefix: /slow}
                upstream: echo
                policies:
                  concurrency: {limit: 2}
            """)
        defer { gateway.stop() }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask { try await gateway.send("/slow/held").response.status.code }
            }
            // Wait until both held requests reached the upstream.
            while upstream.requests.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            let third = try await gateway.send("/slow?ms=1").response.status.code
            upstream.release()
            var all = [third]
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.first == 503)
        #expect(statuses.dropFirst().sorted() == [200, 200])
        #expect(try await gateway.send("/slow?ms=1").response.status == .ok)
        await upstream.stop()
    }

    @Test func breakerOpensAndFallbacksAnswer() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
                retries: {attempts: 1}
                outlierDetection: {maxEjectedPercent: 0}
                circuitBreaker: {consecutiveFailures: 3, openDuration: 1h}
            routes:
              - name: cached
                match: {prefix: /}
                upstream: echo
                policies:
                  fallback: {status: 503, body: "try later", serveStale: true}
            """)
        defer { gateway.stop() }
        let (fresh, freshBody) = try await gateway.send("/page")
        #expect(fresh.status == .ok)
        for _ in 0..<3 {
            #expect(try await gateway.send("/status/500").response.status.code == 500)
        }
        let hits = upstream.requests.count
        let (stale, staleBody) = try await gateway.send("/page")
        #expect(stale.status == .ok)
        #expect(stale.headers["X-Stratus-Fallback"] == "stale")
        #expect(staleBody == freshBody)
        let (fixed, fixedBody) = try await gateway.send("/other")
        #expect(fixed.status == .serviceUnavailable)
        #expect(fixed.headers["X-Stratus-Fallback"] == "static")
        #expect(fixedBody == "try later")
        #expect(upstream.requests.count == hits, "requests reached the upstream while its breaker was open")
        let (_, upstreams) = try await gateway.admin("/admin/upstreams/echo")
        #expect(upstreams.contains("\"circuitBreaker\":\"open\""))
        #expect(try await Self.metric(gateway, "stratus_gateway_fallbacks_total{kind=\"stale\",route=\"cached\"}") == 1)
        await upstream.stop()
    }

    @Test func retriesOnlyIdempotentRequests() async throws {
        let failing = try await EchoUpstream.start(name: "failing")
        let healthy = try await EchoUpstream.start(name: "healthy")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: pair
                endpoints: ["\(failing.endpoint)", "\(healthy.endpoint)"]
                retries: {attempts: 2, backoffBase: 1ms, backoffMax: 1ms}
                outlierDetection: {maxEjectedPercent: 0}
            routes:
              - name: flaky
                match: {prefix: /}
                upstream: pair
                rewrite: {path: /status/503}
            """)
        defer { gateway.stop() }
        // Round robin alternates; each GET that meets the failing instance
        // is retried on the healthy one, which responds 503 too, so each GET
        // reaches both. A POST is never sent twice.
        for _ in 0..<4 {
            _ = try await gateway.send("/get")
        }
        #expect(failing.requests.count + healthy.requests.count == 8)
        let before = failing.requests.count + healthy.requests.count
        for _ in 0..<4 {
            #expect(try await gateway.send("/post", method: .post, body: Array("x".utf8)).response.status.code == 503)
        }
        #expect(failing.requests.count + healthy.requests.count == before + 4)
        await failing.stop()
        await healthy.stop()
    }

    @Test func canaryByWeightAndHeader() async throws {
        let stable = try await EchoUpstream.start(name: "stable")
        let canary = try await EchoUpstream.start(name: "canary")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: app
                endpoints:
                  - {address: "\(stable.endpoint)", version: v1}
                  - {address: "\(canary.endpoint)", version: v2}
            routes:
              - name: app
                match: {prefix: /}
                upstream: app
                canary: {version: v2, weight: 20, header: {name: X-Canary, value: always}}
            """)
        defer { gateway.stop() }
        for _ in 0..<5 {
            let (_, body) = try await gateway.send("/", headers: ["X-Canary": "always"])
            #expect(try EchoDescription(body).instance == "canary")
        }
        var canaryCount = 0
        for _ in 0..<200 {
            let (_, body) = try await gateway.send("/")
            if try EchoDescription(body).instance == "canary" { canaryCount += 1 }
        }
        // 20% of 200 is 40; the bounds leave room for chance (p < 1e-6).
        #expect((12...80).contains(canaryCount), "\(canaryCount) of 200 went to the canary")
        await stable.stop()
        await canary.stop()
    }

    @Test func consumerPlaceholderLabelsMetrics() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
              consumerHeader: X-Consumer
            consumers:
              - name: alice
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: api
                match: {prefix: /}
                upstream: echo
                policies:
                  rateLimits:
                    - {key: consumer, rate: 0.001, burst: 1}
            """)
        defer { gateway.stop() }
        let (first, body) = try await gateway.send("/", headers: ["X-Consumer": "alice", "X-Stratus-Consumer": "mallory"])
        #expect(first.status == .ok)
        #expect(try EchoDescription(body).headers["x-stratus-consumer"] == "alice")
        #expect(try await gateway.send("/", headers: ["X-Consumer": "alice"]).response.status == .tooManyRequests)
        let (anonymous, anonymousBody) = try await gateway.send("/", headers: ["X-Stratus-Consumer": "mallory"])
        #expect(anonymous.status == .ok)
        #expect(try EchoDescription(anonymousBody).headers["x-stratus-consumer"] == nil)
        #expect(try await Self.metric(gateway, "stratus_gateway_requests_total{consumer=\"alice\",route=\"api\",status=\"200\",upstream=\"echo\"}") == 1)
        await upstream.stop()
    }
}
