import StratusDiscovery
import StratusTestSupport

/// Measures control-plane memory per registered instance.
///
/// A warm-up registers and deregisters 200 instances from every client, so
/// that connection buffers and state created on first use count in "before".
/// Then the workload reads VmRSS of `--pid` (and of `--store-pid`, when
/// given), and the clients register `--instances` instances spread evenly
/// over `--services` services with a 300 s TTL. After 2 s it reads VmRSS
/// again, and then checks through `GET /api/v1/services` that all of them
/// are registered. No heartbeats are sent: the 300 s TTL keeps every
/// instance registered while RSS is read, and each still holds a lease.
enum MemoryWorkload {
    static func run(_ options: BenchOptions) async throws -> [String: Any] {
        guard let pid = options.pid else {
            throw BenchError("missing --pid: the memory workload reads the control plane's VmRSS")
        }
        var clients: [ControlPlaneClient] = []
        for _ in 0..<options.clients {
            clients.append(try ControlPlaneClient(endpoints: [options.controlPlane]))
        }

        try await forEachInstance(count: 200 * clients.count, clients: clients) { client, index in
            let instance = sampleInstance(service: "memory-warmup", id: "warmup-\(index)", port: 10_000 + index % 50_000)
            _ = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: 300))
            try await client.deregister(service: instance.service, id: instance.id)
        }
        try await Task.sleep(for: .seconds(1))
        let before = try residentSetKiB(pid: pid)
        let storeBefore = try options.storePid.map(residentSetKiB)

        let registrationStart = ContinuousClock.now
        try await forEachInstance(count: options.instances, clients: clients) { client, index in
            let service = "memory-\(index % options.services)"
            let instance = sampleInstance(service: service, id: "instance-\(index)", port: 10_000 + index % 50_000)
            _ = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: 300))
        }
        let registrationTime = ContinuousClock.now - registrationStart
        try await Task.sleep(for: .seconds(2))
        let after = try residentSetKiB(pid: pid)
        let storeAfter = try options.storePid.map(residentSetKiB)

        // Checked only after RSS was read: the listing of every instance
        // allocates several MB in the control plane for a moment, and the
        // allocator keeps much of it, which would count as growth.
        let registered = try await clients[0].services().services
            .filter { $0.name.hasPrefix("memory-") && $0.name != "memory-warmup" }
            .reduce(0) { $0 + $1.instances }
        guard registered == options.instances else {
            throw BenchError("the control plane lists \(registered) instances after \(options.instances) registrations")
        }

        var results: [String: Any] = [
            "instances": options.instances,
            "services": options.services,
            "register_s": (seconds(registrationTime) * 1000).rounded() / 1000,
            "rss_before_kib": before,
            "rss_after_kib": after,
            "bytes_per_instance": ((Double(after - before) * 1024 / Double(options.instances))).rounded(),
        ]
        if let storeBefore, let storeAfter {
            results["store_rss_before_kib"] = storeBefore
            results["store_rss_after_kib"] = storeAfter
            results["store_bytes_per_instance"] = ((Double(storeAfter - storeBefore) * 1024 / Double(options.instances))).rounded()
        }
        return results
    }

    /// Runs `body` for indexes 0..<count: client k takes indexes k,
    /// k + clients.count, and so on, one after another.
    private static func forEachInstance(count: Int, clients: [ControlPlaneClient], _ body: @escaping @Sendable (ControlPlaneClient, Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (offset, client) in clients.enumerated() {
                group.addTask {
                    for index in stride(from: offset, to: count, by: clients.count) {
                        try await body(client, index)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
