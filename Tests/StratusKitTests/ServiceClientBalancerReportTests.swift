import StratusDiscovery
import StratusHTTP
import StratusKit
import StratusResilience
import Synchronization
import Testing

/// A round-robin balancer that counts picks and reports by outcome.
private final class CountingBalancer: LoadBalancer {
    private let inner = RoundRobinBalancer(initialPosition: 0)
    private let counts = Mutex<(picks: Int, successes: Int, failures: Int, cancellations: Int)>((0, 0, 0, 0))

    var picks: Int { counts.withLock { $0.picks } }
    var reports: Int { counts.withLock { $0.successes + $0.failures + $0.cancellations } }
    var outcomes: (successes: Int, failures: Int, cancellations: Int) {
        counts.withLock { ($0.successes, $0.failures, $0.cancellations) }
    }

    func pick(from snapshot: InstanceSnapshot, hashKey: String?) -> LoadBalancerPick? {
        let pick = inner.pick(from: snapshot, hashKey: hashKey)
        if pick != nil {
            counts.withLock { $0.picks += 1 }
        }
        return pick
    }

    func report(_ outcome: PickOutcome, for pick: LoadBalancerPick) {
        counts.withLock { counts in
            switch outcome {
            case .success: counts.successes += 1
            case .failure: counts.failures += 1
            case .cancelled: counts.cancellations += 1
            }
        }
    }
}

@Suite struct ServiceClientBalancerReportTests {
    @Test func everyPickIsReportedOnce() async throws {
        let gate = Gate()
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        let slow = try await TestInstance.start { _ in
            await gate.wait()
            return Response.text("late")
        }
        let healthy = try await TestInstance.start(status: .ok)
        let dead = try await deadEndpoint()
        var configuration = testConfiguration(perTryTimeout: .milliseconds(500), maxAttempts: 4)
        configuration.circuitBreaker = .init(consecutiveFailures: 2, openDuration: .seconds(60))
        let balancer = CountingBalancer()
        let client = try makeClient([failing.endpoint, slow.endpoint, healthy.endpoint, dead], configuration: configuration, balancer: balancer)

        for index in 0..<12 {
            let method: HTTPMethod = index.isMultiple(of: 3) ? .post : .get
            _ = try? await client.send(ServiceRequest(method: method, path: "/v1/users"))
        }
        #expect(balancer.picks > 12, "retries and breaker rejections add picks")
        #expect(balancer.reports == balancer.picks)
        let outcomes = balancer.outcomes
        #expect(outcomes.successes >= 1)
        #expect(outcomes.failures >= 1)
        #expect(outcomes.cancellations >= 1, "picks of instances with an open breaker are reported cancelled")

        gate.open()
        client.shutdown()
        await failing.stop()
        await slow.stop()
        await healthy.stop()
    }
}
