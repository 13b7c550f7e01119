import StratusDiscovery
import StratusHTTP
import StratusStore

/// The registry's HTTP API, version 1, under `/api/v1`.
///
/// | method and path | does |
/// |---|---|
/// | POST /api/v1/services/{service}/instances | registers an instance (body: `RegistrationRequest`) |
/// | PUT /api/v1/services/{service}/instances/{id}/heartbeat?lease= | renews the instance's lease |
/// | PUT /api/v1/services/{service}/instances/{id}/status | sets its status (body: `StatusChange`) |
/// | DELETE /api/v1/services/{service}/instances/{id} | deregisters it |
/// | GET /api/v1/services | lists services with instance counts |
/// | GET /api/v1/services/{service}/instances | lists a service's instances |
/// | GET /api/v1/watch?service=&revision= | streams `RegistryEvent`s as JSON lines |
///
/// Errors are `APIErrorBody` JSON with 400, 404, 409 or 503.
struct RegistryAPI: Sendable {
    let registry: Registry
    let streams: OpenStreams

    func register(on router: Router) {
        let v1 = router.group("/api/v1")
        v1.post("/services/:service/instances") { request, context in
            await handle { try await register(request, service: context.parameters["service"]!) }
        }
        v1.put("/services/:service/instances/:id/heartbeat") { request, context in
            await handle {
                let lease = try Self.leaseParameter(request)
                let ttl = try await registry.heartbeat(service: context.parameters["service"]!, id: context.parameters["id"]!, lease: lease)
                return try Response.json(["ttlSeconds": ttl])
            }
        }
        v1.put("/services/:service/instances/:id/status") { request, context in
            await handle {
                let change = try await APIResponse.decode(StatusChange.self, from: request)
                let instance = try await registry.setStatus(service: context.parameters["service"]!, id: context.parameters["id"]!, status: change.status)
                return try Response.json(instance)
            }
        }
        v1.delete("/services/:service/instances/:id") { _, context in
            await handle {
                try await registry.deregister(service: context.parameters["service"]!, id: context.parameters["id"]!)
                return Response(status: .noContent)
            }
        }
        v1.get("/services") { _, _ in
            await handle { try Response.json(try await registry.services()) }
        }
        v1.get("/services/:service/instances") { _, context in
            await handle { try Response.json(try await registry.instances(of: context.parameters["service"]!)) }
        }
        v1.get("/watch") { request, _ in
            await handle { try watch(request) }
        }
    }

    private func register(_ request: Request, service: String) async throws -> Response {
        let registration = try await APIResponse.decode(RegistrationRequest.self, from: request)
        guard registration.instance.service == service else {
            throw RegistryError.invalid(ValidationError(
                field: "instance.service",
                value: registration.instance.service,
                expected: "the service in the path, \(service)"
            ))
        }
        return try Response.json(try await registry.register(registration), status: .created)
    }

    /// Reads the optional `lease` query parameter: the lease id in
    /// hexadecimal, as the registration response gives it.
    private static func leaseParameter(_ request: Request) throws(RegistryError) -> LeaseID? {
        guard let text = request.queryParameter("lease") else { return nil }
        guard let value = Int64(text, radix: 16), value > 0 else {
            throw .invalid(ValidationError(field: "lease", value: text, expected: "the lease id from the registration response, in hexadecimal"))
        }
        return LeaseID(value)
    }

    /// Runs a handler, turning a `RegistryError` into its JSON response.
    private func handle(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as RegistryError {
            return APIResponse.error(error)
        } catch {
            return APIResponse.error(RegistryError(.unavailable, "\(error)"))
        }
    }
}
