import StratusControlPlane
import StratusStore
import StratusTestSupport
import Synchronization
import Testing

/// A control plane over an in-memory store on a free loopback port, and
/// etcd-protocol clients of its store API, one per simulated replica.
struct ControlPlaneFixture {
    let controlPlane: ControlPlane
    let url: String

    static func start() async throws -> ControlPlaneFixture {
        let (controlPlane, url) = try await startMemoryControlPlane()
        return ControlPlaneFixture(controlPlane: controlPlane, url: url)
    }

    /// Returns a new client of the control plane's store API, as each replica has.
    func makeStore() throws -> EtcdStore {
        var configuration = EtcdStore.Configuration()
        configuration.logger = quietLogger
        return try EtcdStore(endpoints: [url], configuration: configuration)
    }

    func stop() async {
        await controlPlane.shutdown(gracePeriod: .milliseconds(200))
    }
}

/// Runs `body` with a started control plane and stops it afterwards.
func withControlPlane<Result>(_ body: (ControlPlaneFixture) async throws -> Result) async throws -> Result {
    let fixture = try await ControlPlaneFixture.start()
    do {
        let result = try await body(fixture)
        await fixture.stop()
        return result
    } catch {
        await fixture.stop()
        throw error
    }
}

/// A store that forwards to another and fails every call with
/// `unavailable` while `isFailing` is set, to simulate an unreachable
/// control plane.
final class SwitchableStore: KeyValueStore {
    let base: any KeyValueStore
    private let failing = Atomic<Bool>(false)

    init(_ base: any KeyValueStore) {
        self.base = base
    }

    var isFailing: Bool {
        get { failing.load(ordering: .relaxed) }
        set { failing.store(newValue, ordering: .relaxed) }
    }

    private func check() throws {
        if isFailing {
            throw StoreError(.unavailable, "the test made the store unreachable")
        }
    }

    func range(_ request: RangeRequest) async throws -> RangeResponse {
        try check()
        return try await base.range(request)
    }

    func put(_ request: PutRequest) async throws -> PutResponse {
        try check()
        return try await base.put(request)
    }

    func delete(_ request: DeleteRequest) async throws -> DeleteResponse {
        try check()
        return try await base.delete(request)
    }

    func transaction(_ request: TransactionRequest) async throws -> TransactionResponse {
        try check()
        return try await base.transaction(request)
    }

    func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant {
        try check()
        return try await base.grantLease(ttl: ttl, id: id)
    }

    func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        try check()
        return try await base.keepAlive(lease)
    }

    func revokeLease(_ lease: LeaseID) async throws {
        try check()
        try await base.revokeLease(lease)
    }

    func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus {
        try check()
        return try await base.leaseStatus(lease, includeKeys: includeKeys)
    }

    func watch(_ request: WatchRequest) -> WatchStream {
        base.watch(request)
    }

    func compact(revision: Int64) async throws {
        try check()
        try await base.compact(revision: revision)
    }

    func close() async {
        await base.close()
    }
}
