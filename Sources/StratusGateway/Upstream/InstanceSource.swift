import StratusDiscovery

/// The instances of an upstream: a fixed list, or a discovery cache.
enum UpstreamInstanceSource: Sendable {
    case fixed(InstanceSnapshot)
    case discovery(ServiceDiscovery)

    var snapshot: InstanceSnapshot {
        switch self {
        case .fixed(let snapshot): snapshot
        case .discovery(let discovery): discovery.snapshot
        }
    }

    /// Builds the fixed snapshot of `endpoints`; each instance's id is its
    /// endpoint.
    static func fixed(upstream: String, endpoints: [EndpointConfiguration]) -> UpstreamInstanceSource {
        let instances = endpoints.map { endpoint in
            ServiceInstance(
                service: upstream, id: endpoint.endpoint, address: endpoint.host, port: endpoint.port,
                labels: endpoint.labels, version: endpoint.version, weight: endpoint.weight
            )
        }
        return .fixed(InstanceSnapshot(instances: instances))
    }
}
