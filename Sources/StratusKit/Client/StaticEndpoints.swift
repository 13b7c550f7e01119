import StratusDiscovery

/// Parsing of the fixed endpoint lists that stand in for discovery in tests
/// and local development.
enum StaticEndpoints {
    /// Makes a snapshot of UP instances from endpoints such as
    /// `127.0.0.1:8080`, `[::1]:8080` or `http://127.0.0.1:8080`. Each
    /// instance's id is its endpoint.
    static func snapshot(service: String, endpoints: [String]) throws(ServiceClientError) -> InstanceSnapshot {
        var instances: [ServiceInstance] = []
        for endpoint in endpoints {
            let (address, port) = try parse(endpoint, service: service)
            let instance = ServiceInstance(service: service, id: endpoint, address: address, port: port)
            guard !instances.contains(where: { $0.id == instance.id }) else {
                throw ServiceClientError(.invalidConfiguration, service: service, "endpoint \(endpoint) of \(service) is listed twice")
            }
            instances.append(instance)
        }
        return InstanceSnapshot(instances: instances)
    }

    private static func parse(_ endpoint: String, service: String) throws(ServiceClientError) -> (String, Int) {
        let rest = endpoint.hasPrefix("http://") ? Substring(endpoint.dropFirst("http://".count)) : Substring(endpoint)
        let invalid = ServiceClientError(
            .invalidConfiguration, service: service,
            "invalid endpoint \"\(endpoint)\" for \(service): expected host:port with a port from 1 to 65535, such as 127.0.0.1:8080 or [::1]:8080"
        )
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
            throw invalid
        }
        var host = rest[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            // An IPv6 address must be in brackets, or its last group reads as the port.
            throw invalid
        }
        guard !host.isEmpty, !host.contains("/") else {
            throw invalid
        }
        return (String(host), port)
    }
}
