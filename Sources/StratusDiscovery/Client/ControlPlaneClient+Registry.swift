import StratusHTTP

extension ControlPlaneClient {
    public func register(_ request: RegistrationRequest) async throws(DiscoveryError) -> RegistrationResponse {
        try await send(.post, "/api/v1/services/\(request.instance.service)/instances", body: request, as: RegistrationResponse.self)
    }

    /// Renews the instance's lease. Throws `notFound` when the registration
    /// is gone and the instance must register again.
    ///
    /// - Parameter lease: the lease from the registration response. It saves
    ///   the control plane a read of the instance. With nil the control plane
    ///   looks the lease up.
    public func heartbeat(service: String, id: String, lease: String? = nil) async throws(DiscoveryError) {
        let query = lease.map { "?lease=\($0)" } ?? ""
        try await send(.put, "/api/v1/services/\(service)/instances/\(id)/heartbeat\(query)")
    }

    public func setStatus(service: String, id: String, status: InstanceStatus) async throws(DiscoveryError) {
        try await send(.put, "/api/v1/services/\(service)/instances/\(id)/status", body: StatusChange(status: status))
    }

    public func deregister(service: String, id: String) async throws(DiscoveryError) {
        try await send(.delete, "/api/v1/services/\(service)/instances/\(id)")
    }

    public func instances(of service: String) async throws(DiscoveryError) -> InstanceList {
        try await send(.get, "/api/v1/services/\(service)/instances", as: InstanceList.self)
    }

    public func services() async throws(DiscoveryError) -> ServiceList {
        try await send(.get, "/api/v1/services", as: ServiceList.self)
    }
}
