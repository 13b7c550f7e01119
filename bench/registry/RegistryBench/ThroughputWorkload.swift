import StratusDiscovery
import StratusTestSupport

/// Measures registration and heartbeat throughput from concurrent clients.
///
/// Each client is a `ControlPlaneClient` of its own, so it uses its own
/// keep-alive connection, as separate instances would. Two phases of
/// `--duration` each:
///
/// 1. Heartbeats alone: each client first registers 100 instances with a
///    300 s TTL, then renews them round-robin, one request at a time.
///    Counted: heartbeats answered 200 per second.
/// 2. Register-plus-heartbeat cycles: each client registers a new instance
///    with the TTL of `--ttl`, then sends one heartbeat for it, and moves
///    on to the next id. Counted: cycles per second, where one cycle is a
///    registration (201) followed by its heartbeat (200), so two requests.
///    Nothing is deregistered, so once the run is longer than the TTL the
///    store also expires leases at the registration rate, as under churn.
///
/// Any failed request stops the workload with its error.
enum ThroughputWorkload {
    static let heartbeatService = "throughput-heartbeat"
    static let cycleService = "throughput-cycle"
    static let instancesPerHeartbeatClient = 100

    static func run(_ options: BenchOptions) async throws -> [String: Any] {
        var clients: [ControlPlaneClient] = []
        for _ in 0..<options.clients {
            clients.append(try ControlPlaneClient(endpoints: [options.controlPlane]))
        }
        var results: [String: Any] = ["clients": options.clients, "duration_s": seconds(options.duration), "ttl_s": options.ttl]

        let heartbeats = try await heartbeatPhase(clients, duration: options.duration)
        results["heartbeat_per_s"] = (Double(heartbeats.samples.count) / seconds(heartbeats.elapsed)).rounded()
        results.merge(LatencySummary(heartbeats.samples).fields("heartbeat_only")) { $1 }

        let cycles = try await cyclePhase(clients, duration: options.duration, ttl: options.ttl)
        results["cycle_per_s"] = (Double(cycles.registrations.count) / seconds(cycles.elapsed)).rounded()
        results.merge(LatencySummary(cycles.registrations).fields("cycle_register")) { $1 }
        results.merge(LatencySummary(cycles.heartbeats).fields("cycle_heartbeat")) { $1 }
        return results
    }

    private static func heartbeatPhase(_ clients: [ControlPlaneClient], duration: Duration) async throws -> (samples: [Duration], elapsed: Duration) {
        // Heartbeats carry the lease from the registration, as ServiceRegistrar's do.
        let leases = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var leases: [String] = []
                    for number in 0..<instancesPerHeartbeatClient {
                        let instance = sampleInstance(service: heartbeatService, id: "c\(index)-\(number)", port: 10_000 + number)
                        leases.append(try await client.register(RegistrationRequest(instance: instance, ttlSeconds: 300)).lease)
                    }
                    return (index, leases)
                }
            }
            return try await group.reduce(into: [Int: [String]]()) { $0[$1.0] = $1.1 }
        }
        let start = ContinuousClock.now
        let deadline = start + duration
        let samples = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var samples: [Duration] = []
                    var number = 0
                    while ContinuousClock.now < deadline {
                        let sent = ContinuousClock.now
                        try await client.heartbeat(service: heartbeatService, id: "c\(index)-\(number)", lease: leases[index]![number])
                        samples.append(ContinuousClock.now - sent)
                        number = (number + 1) % instancesPerHeartbeatClient
                    }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (samples, ContinuousClock.now - start)
    }

    private static func cyclePhase(_ clients: [ControlPlaneClient], duration: Duration, ttl: Int64) async throws -> (registrations: [Duration], heartbeats: [Duration], elapsed: Duration) {
        let start = ContinuousClock.now
        let deadline = start + duration
        let perClient = try await withThrowingTaskGroup(of: ([Duration], [Duration]).self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    var registrations: [Duration] = []
                    var heartbeats: [Duration] = []
                    var number = 0
                    while ContinuousClock.now < deadline {
                        let id = "c\(index)-\(number)"
                        let instance = sampleInstance(service: cycleService, id: id, port: 10_000 + number % 50_000)
                        let sent = ContinuousClock.now
                        let registration = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: ttl))
                        let registered = ContinuousClock.now
                        try await client.heartbeat(service: cycleService, id: id, lease: registration.lease)
                        registrations.append(registered - sent)
                        heartbeats.append(ContinuousClock.now - registered)
                        number += 1
                    }
                    return (registrations, heartbeats)
                }
            }
            return try await group.reduce(into: ([Duration](), [Duration]())) { total, client in
                total.0 += client.0
                total.1 += client.1
            }
        }
        // Cycles that started before the deadline finish after it, so the
        // rate divides by the time until the last one ended.
        return (perClient.0, perClient.1, ContinuousClock.now - start)
    }
}

/// An instance with the fields a real registration carries: labels, a
/// version and a zone. Its address is loopback; nothing connects to it,
/// because it has no health check.
func sampleInstance(service: String, id: String, port: Int) -> ServiceInstance {
    ServiceInstance(
        service: service,
        id: id,
        address: "127.0.0.1",
        port: port,
        labels: ["app": service, "track": "stable"],
        version: "1.4.2",
        zone: "zone-a"
    )
}
