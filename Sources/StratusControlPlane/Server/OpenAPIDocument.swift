import Foundation

/// The OpenAPI 3.0 description of every route the control plane serves,
/// served at `/openapi.json`. A test checks that it lists exactly the
/// routes the router has.
enum OpenAPIDocument {
    /// The document as JSON, keys sorted.
    static let json: String = {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }()

    static var document: [String: Any] {
        [
            "openapi": "3.0.3",
            "info": [
                "title": "Stratus control plane",
                "version": "1",
                "description": "The service registry (/api/v1/services), the orchestrator's apps (/api/v1/apps), the config center (/api/v1/config), the embedded event broker (/api/v1/events) and a store API wire-compatible with etcd 3.4's v3 JSON gateway (/v3). Every config-center error is a ConfigErrorBody and every other /api/v1 error an ErrorBody, each with a stable code.",
            ],
            "paths": paths,
            "components": ["schemas": OpenAPISchemas.all.merging(OpenAPISchemas.events) { first, _ in first }.merging(OpenAPISchemas.config) { first, _ in first }],
        ]
    }

    private static var paths: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = operation.object
        }
        return paths
    }

    /// Every operation, in the order of the router.
    static let operations: [OpenAPIOperation] = registryOperations + appOperations + configOperations + storeOperations + eventOperations + serviceOperations

    private static let serviceParameter = OpenAPIParameter(name: "service", location: "path", description: "The service name: a DNS label.")
    private static let idParameter = OpenAPIParameter(name: "id", location: "path", description: "The instance id.")

    private static let registryOperations: [OpenAPIOperation] = [
        OpenAPIOperation("POST", "/api/v1/services/{service}/instances", "Register an instance under a new lease of ttlSeconds; replaces an earlier registration of the same id.",
                         parameters: [serviceParameter], request: "RegistrationRequest", responses: ["201": "RegistrationResponse", "400": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("PUT", "/api/v1/services/{service}/instances/{id}/heartbeat", "Renew the instance's lease; 404 means the registration is gone and the instance must register again.",
                         parameters: [
                            serviceParameter, idParameter,
                            OpenAPIParameter(name: "lease", location: "query", description: "The lease id from the registration response, in hexadecimal; saves a read of the instance.", required: false),
                         ],
                         responses: ["200": "Heartbeat", "400": "ErrorBody", "404": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("PUT", "/api/v1/services/{service}/instances/{id}/status", "Set the instance's status (UP, DRAINING or DOWN), keeping its lease.",
                         parameters: [serviceParameter, idParameter], request: "StatusChange", responses: ["200": "ServiceInstance", "400": "ErrorBody", "404": "ErrorBody", "409": "ErrorBody"]),
        OpenAPIOperation("DELETE", "/api/v1/services/{service}/instances/{id}", "Deregister the instance at once, ending its lease.",
                         parameters: [serviceParameter, idParameter], responses: ["204": nil, "404": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/services", "List the registered services with their instance counts.",
                         responses: ["200": "ServiceList", "503": "ErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/services/{service}/instances", "List a service's instances, sorted by id, with the store revision of the list.",
                         parameters: [serviceParameter], responses: ["200": "InstanceList", "400": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/watch", "Stream RegistryEvent objects as JSON lines (application/x-ndjson) from a revision; empty lines are keep-alives sent every 15 s. A RESYNC event replaces the watcher's list when the revision was compacted.",
                         parameters: [
                            OpenAPIParameter(name: "service", location: "query", description: "The service to watch; every service when absent.", required: false),
                            OpenAPIParameter(name: "revision", location: "query", description: "The first revision to deliver; changes after the call when absent.", required: false, type: "integer"),
                         ],
                         responses: ["200": "RegistryEvent", "400": "ErrorBody"], contentType: "application/x-ndjson"),
    ]

    private static func gateway(_ path: String, _ summary: String) -> OpenAPIOperation {
        OpenAPIOperation("POST", path, summary + " Fields, encodings and errors follow etcd 3.4's v3 JSON gateway: bytes are base64, 64-bit integers are strings.",
                         request: "EtcdMessage", responses: ["200": "EtcdMessage", "400": "EtcdError", "404": "EtcdError"])
    }

    private static let storeOperations: [OpenAPIOperation] = [
        gateway("/v3/kv/range", "Read keys (etcd RangeRequest)."),
        gateway("/v3/kv/put", "Write a key (etcd PutRequest)."),
        gateway("/v3/kv/deleterange", "Delete keys (etcd DeleteRangeRequest)."),
        gateway("/v3/kv/txn", "Run a transaction (etcd TxnRequest)."),
        gateway("/v3/kv/compaction", "Compact history (etcd CompactionRequest)."),
        gateway("/v3/lease/grant", "Grant a lease (etcd LeaseGrantRequest)."),
        gateway("/v3/lease/revoke", "Revoke a lease and delete its keys (etcd LeaseRevokeRequest)."),
        gateway("/v3/lease/timetolive", "Read a lease's remaining TTL and keys (etcd LeaseTimeToLiveRequest)."),
        gateway("/v3/lease/leases", "List leases (etcd LeaseLeasesRequest); answers 501 because the store protocol cannot list leases."),
        gateway("/v3/kv/lease/revoke", "etcd 3.4's alias of /v3/lease/revoke."),
        gateway("/v3/kv/lease/timetolive", "etcd 3.4's alias of /v3/lease/timetolive."),
        gateway("/v3/kv/lease/leases", "etcd 3.4's alias of /v3/lease/leases."),
        gateway("/v3/lease/keepalive", "Renew a lease (etcd LeaseKeepAliveRequest)."),
        gateway("/v3/watch", "Stream watch responses, one JSON object per line and chunk (etcd WatchRequest: create_request, cancel_request, progress_request)."),
        OpenAPIOperation("GET", "/version", "The etcd version this API is compatible with, as etcd reports it.", responses: ["200": "EtcdMessage"]),
        gateway("/v3/maintenance/status", "Report the store's status (etcd StatusRequest)."),
    ]

    private static let serviceOperations: [OpenAPIOperation] = [
        OpenAPIOperation("GET", "/healthz", "Liveness: 200 while the process serves.", responses: ["200": nil], contentType: "text/plain"),
        OpenAPIOperation("GET", "/readyz", "Readiness: 200 once started and while the store answers; 503 otherwise, with the reason.", responses: ["200": nil, "503": nil], contentType: "text/plain"),
        OpenAPIOperation("GET", "/metrics", "Prometheus metrics, text exposition format 0.0.4.", responses: ["200": nil], contentType: "text/plain"),
        OpenAPIOperation("GET", "/openapi.json", "This document.", responses: ["200": nil]),
    ]
}
