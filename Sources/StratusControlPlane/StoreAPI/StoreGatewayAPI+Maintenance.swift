import StratusHTTP

extension StoreGatewayAPI {
    /// Registers `GET /version`, which clients such as etcd3gw read to pick
    /// the API path, and `/v3/maintenance/status`.
    func registerMaintenance(on router: some RouterMethods) {
        router.get("/version") { _, _ in
            Self.json(.object(JSONObject(fields: [
                ("etcdserver", .string(configuration.etcdVersion)),
                ("etcdcluster", .string(configuration.etcdVersion)),
            ])))
        }
        router.post("/v3/maintenance/status") { request, _ in await unary(request, status) }
    }

    /// Serves `StatusRequest` with the fields that a store without raft can
    /// fill: the version, this member as the leader, and the raft term. The
    /// database size and raft indexes are left out (zero).
    @Sendable
    func status(_ fields: RequestFields) async throws(GatewayError) -> JSONValue {
        var object = ResponseObject()
        object.set("header", encoder.header.object(revision: try await currentRevision()))
        object.string("version", configuration.etcdVersion)
        object.uint64("leader", configuration.memberID)
        object.uint64("raftTerm", configuration.raftTerm)
        return object.value
    }
}
