import Foundation
@testable import StratusGatewayPolicies
import StratusHTTP
import StratusStore
import Testing

@Suite struct GatewayRateLimitMiddlewareTests {
    let clocks = ManualClocks()

    func chain(_ configuration: RateLimitConfiguration, store: SwitchableStore? = nil, consumers: ConsumerRegistry = .empty) throws -> some HTTPResponder {
        echoResponder([try GatewayRateLimitMiddleware(
            configuration: configuration, routeName: "r-\(UInt32.random(in: 0...UInt32.max))", store: store, consumers: consumers,
            clientAddresses: ClientAddressResolver(), clock: clocks.wall, monotonicClock: clocks.monotonic, logger: quietLogger
        )])
    }

    @Test func localRouteLimitAnswers429() async throws {
        let responder = try chain(RateLimitConfiguration(rate: 2))
        #expect(try await send(to: responder).status == .ok)
        #expect(try await send(to: responder).status == .ok)
        let limited = try await send(to: responder)
        #expect(limited.status == .tooManyRequests)
        #expect(limited.headers["Retry-After"] == "1")
        let body = try JSONSerialization.jsonObject(with: Data(try await bodyBytes(limited))) as? [String: Any]
        #expect(body?["reason"] as? String == "rate_limited")
        #expect(body?["retry_after_seconds"] as? Int == 1)
        clocks.advance(by: .milliseconds(500))
        #expect(try await send(to: responder).status == .ok)
    }

    @Test func clientAddressAndHeaderKeysAreSeparate() async throws {
        let byAddress = try chain(RateLimitConfiguration(rate: 1, key: .clientAddress))
        #expect(try await send(to: byAddress, remoteAddress: "192.0.2.1:1").status == .ok)
        #expect(try await send(to: byAddress, remoteAddress: "192.0.2.1:2").status == .tooManyRequests, "the port does not count")
        #expect(try await send(to: byAddress, remoteAddress: "192.0.2.2:1").status == .ok)
        let byHeader = try chain(RateLimitConfiguration(rate: 1, key: .header, header: "X-Tenant"))
        #expect(try await send(to: byHeader, headers: ["X-Tenant": "a"]).status == .ok)
        #expect(try await send(to: byHeader, headers: ["X-Tenant": "a"]).status == .tooManyRequests)
        #expect(try await send(to: byHeader, headers: ["X-Tenant": "b"]).status == .ok)
    }

    @Test func keysBeyondTheLimitShareOneQuota() async throws {
        let responder = try chain(RateLimitConfiguration(rate: 1, key: .header, header: "X-Tenant", maxKeys: 2))
        #expect(try await send(to: responder, headers: ["X-Tenant": "a"]).status == .ok)
        #expect(try await send(to: responder, headers: ["X-Tenant": "b"]).status == .ok)
        #expect(try await send(to: responder, headers: ["X-Tenant": "c"]).status == .ok)
        #expect(try await send(to: responder, headers: ["X-Tenant": "d"]).status == .tooManyRequests, "c and d share the overflow quota")
    }

    @Test func clusterScopeUsesTheStore() async throws {
        try await withControlPlane { fixture in
            let store = SwitchableStore(try fixture.makeStore())
            let responder = try chain(RateLimitConfiguration(rate: 3, scope: .cluster, key: .header, header: "X-Api-Key", leaseTimeout: .seconds(30)), store: store)
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await send(to: responder, headers: ["X-Api-Key": "tenant-secret"]).status.code)
            }
            #expect(statuses == [200, 200, 200, 429])
            let keys = try await store.list(prefix: "/stratus/gateway/ratelimit/").keyValues.map(\.keyString)
            #expect(keys.count == 1)
            #expect(keys.first?.hasSuffix(SHA256Digest(of: "tenant-secret").description) == true, "the store key has the value's digest")
            #expect(keys.allSatisfy { !$0.contains("tenant-secret") })
            await store.close()
        }
    }
}
