import StratusHTTP
import StratusStore
import StratusTelemetry
import Synchronization

extension ControlPlane {
    /// Registers every route the control plane serves, in one place.
    static func addRoutes(
        to router: Router, store: any KeyValueStore, registry: Registry, config: ConfigAPI, readiness: Readiness,
        streams: OpenStreams, broker: EventBroker?
    ) {
        router.get("/healthz") { _, _ in
            "ok\n"
        }
        router.get("/readyz") { _, _ in
            await readiness.check(store)
        }
        router.addMetricsRoute()
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: ["Content-Type": "application/json"], body: OutgoingBody(string: OpenAPIDocument.json))
        }
        RegistryAPI(registry: registry, streams: streams).register(on: router)
        AppsAPI(repository: AppRepository(store: store)).register(on: router)
        config.register(on: router)
        StoreGatewayAPI(store: store).register(on: router)
        EventsAPI(broker: broker).register(on: router)
    }
}

/// Whether the control plane takes traffic: false before `start` and from
/// the beginning of `shutdown`, so a load balancer drains it first.
final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)

    func markReady() { ready.store(true, ordering: .relaxed) }
    func markNotReady() { ready.store(false, ordering: .relaxed) }

    /// Returns 200 when started and the store responds to a read, else
    /// 503 with the reason.
    func check(_ store: any KeyValueStore) async -> Response {
        guard ready.load(ordering: .relaxed) else {
            return Response(status: .serviceUnavailable, body: OutgoingBody(string: "not ready: starting or stopping\n"))
        }
        do {
            _ = try await store.range(RangeRequest(.key("/stratus/readyz"), countOnly: true))
            return Response(status: .ok, body: OutgoingBody(string: "ok\n"))
        } catch {
            return Response(status: .serviceUnavailable, body: OutgoingBody(string: "not ready: the store failed: \(error)\n"))
        }
    }
}
