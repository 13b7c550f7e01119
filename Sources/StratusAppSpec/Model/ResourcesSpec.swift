/// A service's CPU and memory requests and limits, per replica, as a
/// Kubernetes container declares them.
///
/// On one machine the orchestrator uses only the CPU request, as the base of
/// the autoscaler's utilization. The Kubernetes renderer writes all four
/// into the container's `resources`.
public struct ResourcesSpec: Sendable, Hashable, Codable {
    public var requests = ResourceAmounts()
    public var limits = ResourceAmounts()

    public init(requests: ResourceAmounts = ResourceAmounts(), limits: ResourceAmounts = ResourceAmounts()) {
        self.requests = requests
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case requests, limits
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.specValue(ResourceAmounts.self, forKey: .requests, default: ResourceAmounts())
        limits = try container.specValue(ResourceAmounts.self, forKey: .limits, default: ResourceAmounts())
    }
}

/// A CPU and a memory amount, each optional.
public struct ResourceAmounts: Sendable, Hashable, Codable {
    public var cpu: CPUQuantity?
    public var memory: MemoryQuantity?

    public init(cpu: CPUQuantity? = nil, memory: MemoryQuantity? = nil) {
        self.cpu = cpu
        self.memory = memory
    }

    enum CodingKeys: String, CodingKey {
        case cpu, memory
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpu = try container.optionalSpecValue(CPUQuantity.self, forKey: .cpu)
        memory = try container.optionalSpecValue(MemoryQuantity.self, forKey: .memory)
    }
}
