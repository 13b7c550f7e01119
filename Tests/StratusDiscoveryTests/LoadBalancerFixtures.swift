import StratusDiscovery

/// Builders of instances and snapshots, and pick counters, shared by the
/// load-balancing tests.
enum Fixtures {
    static func instance(
        _ id: String,
        weight: Int = 100,
        zone: String = "",
        status: InstanceStatus = .up
    ) -> ServiceInstance {
        ServiceInstance(service: "orders", id: id, address: "127.0.0.1", port: 8080, zone: zone, weight: weight, status: status)
    }

    /// Builds a snapshot of UP instances named `prefix0`, `prefix1`, … with default weights.
    static func snapshot(count: Int, prefix: String = "i") -> InstanceSnapshot {
        InstanceSnapshot(instances: (0..<count).map { instance("\(prefix)\($0)") })
    }

    /// Builds a snapshot of UP instances named a, b, c, … with the given weights.
    static func weightedSnapshot(_ weights: [Int]) -> InstanceSnapshot {
        let names = weights.indices.map { String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }
        return InstanceSnapshot(instances: zip(names, weights).map { instance($0, weight: $1) })
    }

    /// Picks `picks` times and counts the picks per instance id, reporting a
    /// success with zero latency after each pick.
    static func countPicks(
        _ balancer: some LoadBalancer,
        from snapshot: InstanceSnapshot,
        picks: Int,
        hashKey: (Int) -> String? = { _ in nil }
    ) -> [String: Int] {
        var counts: [String: Int] = [:]
        for index in 0..<picks {
            guard let pick = balancer.pick(from: snapshot, hashKey: hashKey(index)) else { continue }
            counts[pick.instance.id, default: 0] += 1
            balancer.report(.success(latency: .zero), for: pick)
        }
        return counts
    }

    /// Returns the instance id each key maps to.
    static func assignments(_ balancer: some LoadBalancer, from snapshot: InstanceSnapshot, keys: [String]) -> [String] {
        keys.map { balancer.pick(from: snapshot, hashKey: $0)?.instance.id ?? "" }
    }
}
