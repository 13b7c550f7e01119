import StratusTestSupport
import Testing
import StratusDiscovery
@testable import StratusControlPlane
@testable import StratusStore

func makeMemoryStore(clock: ManualNanosecondClock = ManualNanosecondClock()) throws -> EmbeddedStore {
    var configuration = EmbeddedStore.Configuration(path: nil)
    configuration.clock = { clock.now() }
    configuration.leaseCheckInterval = .seconds(3600)
    return try EmbeddedStore(configuration: configuration)
}

func instance(_ id: String, service: String = "iam-apiserver", port: Int = 8080) -> ServiceInstance {
    ServiceInstance(service: service, id: id, address: "127.0.0.1", port: port)
}

@Suite struct RegistryTests {
    @Test func registerListsInstance() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        let response = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 3))
        #expect(response.ttlSeconds == 3)
        let list = try await registry.instances(of: "iam-apiserver")
        #expect(list.instances.map(\.id) == ["a"])
        #expect(list.revision == response.revision)
        await store.close()
    }

    @Test func instanceLookupByID() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a", port: 8081), ttlSeconds: 3))
        _ = try await registry.register(RegistrationRequest(instance: instance("b", port: 8082), ttlSeconds: 3))
        #expect(try await registry.instance(of: "iam-apiserver", id: "b")?.port == 8082)
        #expect(try await registry.instance(of: "iam-apiserver", id: "c") == nil)
        #expect(try await registry.instance(of: "other", id: "a") == nil)
        await #expect(throws: RegistryError.self) { try await registry.instance(of: "Not A Name", id: "a") }
        await store.close()
    }

    @Test func missedHeartbeatsEvict() async throws {
        let clock = ManualNanosecondClock()
        let store = try makeMemoryStore(clock: clock)
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 3))
        _ = try await registry.register(RegistrationRequest(instance: instance("b"), ttlSeconds: 3))
        var events = try registry.watch(service: "iam-apiserver", from: nil).makeAsyncIterator()

        clock.advance(seconds: 2)
        #expect(try await registry.heartbeat(service: "iam-apiserver", id: "a") == 3)
        clock.advance(seconds: 2)
        try await store.expireLeases()

        let event = try #require(try await events.next())
        #expect(event.type == .delete)
        #expect(event.id == "b")
        #expect(try await registry.instances(of: "iam-apiserver").instances.map(\.id) == ["a"])
        let error = await #expect(throws: RegistryError.self) {
            _ = try await registry.heartbeat(service: "iam-apiserver", id: "b")
        }
        #expect(error?.code == .notFound)
        await store.close()
    }

    @Test func heartbeatWithKnownLease() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        let first = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 5))
        let firstLease = LeaseID(try #require(Int64(first.lease, radix: 16)))
        #expect(try await registry.heartbeat(service: "iam-apiserver", id: "a", lease: firstLease) == 5)

        _ = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 5))
        let error = await #expect(throws: RegistryError.self) {
            _ = try await registry.heartbeat(service: "iam-apiserver", id: "a", lease: firstLease)
        }
        #expect(error?.code == .notFound, "the replaced registration's lease has ended")
        await store.close()
    }

    @Test func deregisterRemovesAtOnce() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a")))
        try await registry.deregister(service: "iam-apiserver", id: "a")
        #expect(try await registry.instances(of: "iam-apiserver").instances.isEmpty)
        await store.close()
    }

    @Test func reRegistrationReplacesLease() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        let first = try await registry.register(RegistrationRequest(instance: instance("a", port: 1)))
        let second = try await registry.register(RegistrationRequest(instance: instance("a", port: 2)))
        #expect(first.lease != second.lease)
        #expect(try await registry.instances(of: "iam-apiserver").instances.map(\.port) == [2])
        await #expect(throws: StoreError.self) {
            _ = try await store.leaseStatus(LeaseID(Int64(first.lease, radix: 16)!), includeKeys: false)
        }
        await store.close()
    }

    @Test func statusChangeKeepsLease() async throws {
        let clock = ManualNanosecondClock()
        let store = try makeMemoryStore(clock: clock)
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 3))
        let changed = try await registry.setStatus(service: "iam-apiserver", id: "a", status: .draining)
        #expect(changed.status == .draining)
        let skipped = try await registry.setStatus(service: "iam-apiserver", id: "a", status: .down, unless: [.draining])
        #expect(skipped.status == .draining)
        clock.advance(seconds: 4)
        try await store.expireLeases()
        #expect(try await registry.instances(of: "iam-apiserver").instances.isEmpty)
        await store.close()
    }

    @Test func servicesCountsStatuses() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a")))
        _ = try await registry.register(RegistrationRequest(instance: instance("b")))
        _ = try await registry.register(RegistrationRequest(instance: instance("c", service: "iam-authz")))
        try await registry.setStatus(service: "iam-apiserver", id: "b", status: .down)
        let list = try await registry.services()
        #expect(list.services == [
            ServiceSummary(name: "iam-apiserver", instances: 2, up: 1),
            ServiceSummary(name: "iam-authz", instances: 1, up: 1),
        ])
        await store.close()
    }

    @Test func invalidRegistrationStoresNothing() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        var bad = instance("a")
        bad.port = 0
        let error = await #expect(throws: RegistryError.self) {
            _ = try await registry.register(RegistrationRequest(instance: bad))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.validation?.field == "instance.port")
        let ttlError = await #expect(throws: RegistryError.self) {
            _ = try await registry.register(RegistrationRequest(instance: instance("a"), ttlSeconds: 0))
        }
        #expect(ttlError?.validation?.field == "ttlSeconds")
        #expect(try await store.list(prefix: "").count == 0)
        await store.close()
    }

    @Test func compactedWatchResyncs() async throws {
        let store = try makeMemoryStore()
        let registry = Registry(store: store)
        _ = try await registry.register(RegistrationRequest(instance: instance("a")))
        let second = try await registry.register(RegistrationRequest(instance: instance("b")))
        try await store.compact(revision: second.revision)
        var events = try registry.watch(service: nil, from: 1).makeAsyncIterator()
        let event = try #require(try await events.next())
        #expect(event.type == .resync)
        #expect(event.instances?.map(\.id).sorted() == ["a", "b"])
        _ = try await registry.register(RegistrationRequest(instance: instance("c")))
        let next = try #require(try await events.next())
        #expect(next.type == .put)
        #expect(next.id == "c")
        await store.close()
    }
}
