import Foundation
public import StratusDiscovery
public import StratusStore

/// The service center's registry, over a `KeyValueStore`.
///
/// Each instance is one key holding its JSON, attached to a lease of the
/// instance's TTL. A heartbeat renews the lease. When heartbeats stop, the
/// lease expires, the key is deleted and every watcher receives the delete.
/// The registry keeps no state of its own, so any number of control-plane
/// replicas can serve it over one store.
public struct Registry: Sendable {
    let store: any KeyValueStore

    public init(store: any KeyValueStore) {
        self.store = store
    }

    /// Registers an instance under a new lease, replacing an earlier
    /// registration of the same id.
    public func register(_ request: RegistrationRequest) async throws(RegistryError) -> RegistrationResponse {
        do {
            try request.instance.validate()
        } catch {
            var nested = error
            nested.field = "instance." + error.field
            throw .invalid(nested)
        }
        guard RegistrationRequest.ttlRange.contains(request.ttlSeconds) else {
            throw .invalid(ValidationError(field: "ttlSeconds", value: "\(request.ttlSeconds)", expected: "1 to 300 seconds"))
        }
        let instance = request.instance
        let key = RegistryKeys.instance(service: instance.service, id: instance.id)
        do {
            let lease = try await store.grantLease(ttl: request.ttlSeconds)
            let put = try await store.put(PutRequest(key: Array(key.utf8), value: try Self.encode(instance), lease: lease.id, previousKeyValue: true))
            if let old = put.previous?.lease, old != lease.id {
                // The earlier registration's lease holds no key now; end it
                // rather than leave it to expire.
                try? await store.revokeLease(old)
            }
            return RegistrationResponse(instance: instance, lease: lease.id.description, ttlSeconds: lease.ttl, revision: put.revision)
        } catch {
            throw .store(error)
        }
    }

    /// Renews an instance's lease and returns its TTL in seconds.
    ///
    /// - Parameter lease: the lease from the registration response. With it
    ///   the heartbeat is one store call; without it the registry first
    ///   reads the instance to find its lease. A lease that has ended, for
    ///   example because the instance was registered again under another,
    ///   throws `notFound`, and the instance registers again.
    public func heartbeat(service: String, id: String, lease known: LeaseID? = nil) async throws(RegistryError) -> Int64 {
        let lease: LeaseID
        if let known {
            do {
                try ServiceInstance.validateServiceName(service)
                try ServiceInstance.validateInstanceID(id)
            } catch {
                throw .invalid(error)
            }
            lease = known
        } else {
            let current = try await find(service: service, id: id)
            guard let stored = current.keyValue.lease else {
                throw .notRegistered(service: service, id: id)
            }
            lease = stored
        }
        do {
            return try await store.keepAlive(lease)
        } catch let error as StoreError where error.code == .leaseNotFound {
            throw .notRegistered(service: service, id: id)
        } catch {
            throw .store(error)
        }
    }

    /// Removes an instance at once, ending its lease.
    public func deregister(service: String, id: String) async throws(RegistryError) {
        let current = try await find(service: service, id: id)
        do {
            if let lease = current.keyValue.lease {
                try await store.revokeLease(lease)
            } else {
                try await store.delete(RegistryKeys.instance(service: service, id: id))
            }
        } catch let error as StoreError where error.code == .leaseNotFound {
            return
        } catch {
            throw .store(error)
        }
    }

    /// Changes an instance's status, keeping its lease. Returns the instance
    /// as stored.
    ///
    /// The write is a compare-and-swap on the key's mod revision, retried
    /// when another writer (a heartbeat does not count) changed the key
    /// in between.
    @discardableResult
    public func setStatus(service: String, id: String, status: InstanceStatus, unless skipped: Set<InstanceStatus> = []) async throws(RegistryError) -> ServiceInstance {
        for _ in 0..<5 {
            let current = try await find(service: service, id: id)
            var instance = current.instance
            if instance.status == status || skipped.contains(instance.status) {
                return instance
            }
            instance.status = status
            let key = current.keyValue.key
            do {
                let response = try await store.transaction(TransactionRequest(
                    compare: [Compare(key: key, .modRevision(current.keyValue.modRevision), .equal)],
                    success: [.put(PutRequest(key: key, value: try Self.encode(instance), lease: current.keyValue.lease))]
                ))
                if response.succeeded { return instance }
            } catch let error as StoreError where error.code == .leaseNotFound {
                throw .notRegistered(service: service, id: id)
            } catch {
                throw .store(error)
            }
        }
        throw RegistryError(.conflict, "instance \(id) of service \(service) kept changing while its status was set; try again")
    }

    /// Returns the instances of one service, sorted by id.
    public func instances(of service: String) async throws(RegistryError) -> InstanceList {
        do {
            try ServiceInstance.validateServiceName(service)
        } catch {
            throw .invalid(error)
        }
        do {
            let response = try await store.range(RangeRequest(.prefix(RegistryKeys.service(service))))
            return InstanceList(service: service, revision: response.revision, instances: response.keyValues.compactMap(Self.decode))
        } catch {
            throw .store(error)
        }
    }

    /// Returns one instance of `service`, or nil when it is not registered.
    public func instance(of service: String, id: String) async throws(RegistryError) -> ServiceInstance? {
        do {
            try ServiceInstance.validateServiceName(service)
        } catch {
            throw .invalid(error)
        }
        do {
            let response = try await store.range(RangeRequest(.key(RegistryKeys.instance(service: service, id: id))))
            return response.keyValues.first.flatMap(Self.decode)
        } catch {
            throw .store(error)
        }
    }

    /// Returns every service with its instance counts, sorted by name.
    public func services() async throws(RegistryError) -> ServiceList {
        do {
            let response = try await store.range(RangeRequest(.prefix(RegistryKeys.root)))
            var summaries: [String: ServiceSummary] = [:]
            for instance in response.keyValues.compactMap(Self.decode) {
                summaries[instance.service, default: ServiceSummary(name: instance.service, instances: 0, up: 0)].instances += 1
                if instance.status == .up {
                    summaries[instance.service]!.up += 1
                }
            }
            return ServiceList(revision: response.revision, services: summaries.values.sorted { $0.name < $1.name })
        } catch {
            throw .store(error)
        }
    }

    /// Returns every instance of every service and the revision of the
    /// read, from which a watch goes on without a gap.
    func allInstances() async throws(RegistryError) -> (revision: Int64, instances: [ServiceInstance]) {
        do {
            let response = try await store.range(RangeRequest(.prefix(RegistryKeys.root)))
            return (response.revision, response.keyValues.compactMap(Self.decode))
        } catch {
            throw .store(error)
        }
    }

    struct StoredInstance {
        var instance: ServiceInstance
        var keyValue: KeyValue
    }

    func find(service: String, id: String) async throws(RegistryError) -> StoredInstance {
        do {
            try ServiceInstance.validateServiceName(service)
            try ServiceInstance.validateInstanceID(id)
        } catch {
            throw .invalid(error)
        }
        let keyValue: KeyValue?
        do {
            keyValue = try await store.get(RegistryKeys.instance(service: service, id: id))
        } catch {
            throw .store(error)
        }
        guard let keyValue, let instance = Self.decode(keyValue) else {
            throw .notRegistered(service: service, id: id)
        }
        return StoredInstance(instance: instance, keyValue: keyValue)
    }

    static func encode(_ instance: ServiceInstance) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(instance))
    }

    /// Decodes a stored instance; a key that does not hold one (written by
    /// another tool) is skipped.
    static func decode(_ keyValue: KeyValue) -> ServiceInstance? {
        try? JSONDecoder().decode(ServiceInstance.self, from: Data(keyValue.value))
    }
}
