import StratusHTTP
import StratusStore

extension StoreGatewayAPI {
    /// Registers the lease endpoints under `/v3/lease` and, for revoke and
    /// time-to-live, under `/v3/kv/lease` too: etcd 3.4's gateway serves
    /// both paths, and etcd3gw uses the second.
    func registerLease(on router: some RouterMethods) {
        router.post("/v3/lease/grant") { request, _ in await unary(request, grantLease) }
        for prefix in ["/v3/lease", "/v3/kv/lease"] {
            router.post(prefix + "/revoke") { request, _ in await unary(request, revokeLease) }
            router.post(prefix + "/timetolive") { request, _ in await unary(request, leaseTimeToLive) }
            router.post(prefix + "/leases") { request, _ in await unary(request, listLeases) }
        }
        router.post("/v3/lease/keepalive") { request, _ in await keepAlive(request) }
    }

    /// Serves `LeaseGrantRequest`. A TTL of 0 or less is rejected with 400,
    /// where etcd raises it to its minimum TTL. An id in use gets etcd's
    /// 412 (gRPC code 9, FailedPrecondition).
    @Sendable
    func grantLease(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let ttl = try fields.int64("TTL")
        let id = try GatewayRequestDecoder.lease(fields, "ID")
        try validate { () throws(StoreError) in try RequestValidation.checkGrant(ttl: ttl, id: id) }
        if let id, (try? await store.leaseStatus(id, includeKeys: false)) != nil {
            // The store rejects it too, but etcd's code and message tell
            // gateway clients which error this is.
            throw GatewayError(.failedPrecondition, GatewayVocabulary.leaseExistsMessage)
        }
        let grant = try await call { try await store.grantLease(ttl: ttl, id: id) }
        var object = ResponseObject()
        object.set("header", encoder.header.object(revision: try await currentRevision()))
        object.int64("ID", grant.id.rawValue)
        object.int64("TTL", grant.ttl)
        return object.value
    }

    /// Serves `LeaseRevokeRequest`: ends the lease and deletes its keys.
    @Sendable
    func revokeLease(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let id = LeaseID(try fields.int64("ID"))
        try await call { try await store.revokeLease(id) }
        return encoder.headerOnly(revision: try await currentRevision())
    }

    /// Serves `LeaseTimeToLiveRequest`. A lease that does not exist gets
    /// TTL -1 with status 200, as in etcd, not an error.
    @Sendable
    func leaseTimeToLive(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        let id = LeaseID(try fields.int64("ID"))
        let includeKeys = try fields.bool("keys")
        var object = ResponseObject()
        do {
            let status = try await call { try await store.leaseStatus(id, includeKeys: includeKeys) }
            object.set("header", encoder.header.object(revision: try await currentRevision()))
            object.int64("ID", id.rawValue)
            object.int64("TTL", status.remainingTTL)
            object.int64("grantedTTL", status.grantedTTL)
            object.array("keys", status.keys.map { .string(GatewayJSON.base64($0)) })
        } catch where error.code == .notFound {
            object.set("header", encoder.header.object(revision: try await currentRevision()))
            object.int64("ID", id.rawValue)
            object.int64("TTL", -1)
        }
        return object.value
    }

    /// Rejects `LeaseLeasesRequest` with 501, because `KeyValueStore` has no
    /// call that lists leases.
    @Sendable
    func listLeases(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        throw GatewayError(.unimplemented, "listing leases is not supported by this server; keep the ids of the leases you grant")
    }
}
