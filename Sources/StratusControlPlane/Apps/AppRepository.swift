import Foundation
public import StratusAppSpec
public import StratusStore

/// The apps' desired and observed state in the store, shared by the apps
/// API and the orchestrator. Like the registry, it keeps no state of its own.
public struct AppRepository: Sendable {
    let store: any KeyValueStore

    public init(store: any KeyValueStore) {
        self.store = store
    }

    /// Validates `spec` and stores it with its services' deployments in one
    /// transaction.
    ///
    /// A deployment keeps the replica count that scaling set, unless the
    /// spec's count for the service changed since the last apply. Deployments
    /// of services no longer in the spec are deleted.
    /// - Throws: `AppError` with `.invalidArgument` listing every problem of
    ///   the spec.
    public func apply(_ spec: AppSpec) async throws(AppError) -> ApplyResult {
        let problems = spec.validate()
        guard problems.isEmpty else {
            throw AppError.invalidSpec(AppSpecError(source: "app \(spec.name)", problems: problems))
        }
        let existing = try await deployments(spec.name)
        var operations: [TransactionOperation] = [.put(PutRequest(key: Array(AppKeys.spec(spec.name).utf8), value: try encode(spec)))]
        var results: [ApplyResult.Service] = []
        for service in spec.services {
            var deployment = existing[service.name] ?? DeploymentState(service: service.name, replicas: service.replicas, specReplicas: service.replicas)
            if deployment.specReplicas != service.replicas {
                deployment.replicas = service.replicas
                deployment.specReplicas = service.replicas
            }
            let key = AppKeys.deployment(spec.name, service: service.name)
            operations.append(.put(PutRequest(key: Array(key.utf8), value: try encode(deployment))))
            results.append(ApplyResult.Service(name: service.name, replicas: deployment.replicas, created: existing[service.name] == nil))
        }
        for name in existing.keys where spec.service(named: name) == nil {
            operations.append(.delete(DeleteRequest(.key(AppKeys.deployment(spec.name, service: name)))))
        }
        let response = try await run { try await store.transaction(TransactionRequest(success: operations)) }
        return ApplyResult(app: spec.name, revision: response.revision, services: results)
    }

    /// Returns the app's spec and the revision it was read at, nil when no
    /// app has the name.
    public func spec(_ app: String) async throws(AppError) -> AppSpec? {
        guard let keyValue = try await run({ try await store.get(AppKeys.spec(app)) }) else { return nil }
        return try decode(AppSpec.self, keyValue.value, key: AppKeys.spec(app))
    }

    /// Returns the app's deployments by service name.
    public func deployments(_ app: String) async throws(AppError) -> [String: DeploymentState] {
        let response = try await run { try await store.list(prefix: AppKeys.deployments(app)) }
        var deployments: [String: DeploymentState] = [:]
        for keyValue in response.keyValues {
            let deployment = try decode(DeploymentState.self, keyValue.value, key: keyValue.keyString)
            deployments[deployment.service] = deployment
        }
        return deployments
    }

    /// Changes a service's deployment with `change`, a compare-and-swap
    /// retried when another writer changed it in between. Returns the
    /// deployment as stored.
    /// - Throws: `AppError` with `.notFound` when the app or the service
    ///   does not exist.
    @discardableResult
    public func updateDeployment(
        app: String,
        service: String,
        _ change: (inout DeploymentState) throws(AppError) -> Void
    ) async throws(AppError) -> DeploymentState {
        let key = AppKeys.deployment(app, service: service)
        for _ in 0..<5 {
            guard let current = try await run({ try await store.get(key) }) else {
                throw try await notFound(app: app, service: service)
            }
            var deployment = try decode(DeploymentState.self, current.value, key: key)
            try change(&deployment)
            let request = TransactionRequest(
                compare: [Compare(key: key, .modRevision(current.modRevision), .equal)],
                success: [.put(PutRequest(key: Array(key.utf8), value: try encode(deployment)))]
            )
            if try await run({ try await store.transaction(request) }).succeeded {
                return deployment
            }
        }
        throw AppError(.conflict, "the deployment of service \(service) in app \(app) kept changing while it was updated; try again")
    }

    /// Deletes the app's spec and deployments. The orchestrator running it
    /// stops its replicas. Returns false when no app has the name.
    public func delete(_ app: String) async throws(AppError) -> Bool {
        guard try await spec(app) != nil else { return false }
        let request = TransactionRequest(success: [
            .delete(DeleteRequest(.key(AppKeys.spec(app)))),
            .delete(DeleteRequest(.prefix(AppKeys.deployments(app)))),
        ])
        _ = try await run { try await store.transaction(request) }
        return true
    }

    /// Returns the names of the apps with a spec, sorted.
    public func apps() async throws(AppError) -> [String] {
        let response = try await run { try await store.list(prefix: AppKeys.root) }
        return response.keyValues.compactMap { keyValue in
            let parts = keyValue.keyString.dropFirst(AppKeys.root.count).split(separator: "/")
            return parts.count == 2 && parts[1] == "spec" ? String(parts[0]) : nil
        }.sorted()
    }

    /// Returns the app's observed status, nil when no orchestrator wrote one.
    public func status(_ app: String) async throws(AppError) -> AppStatus? {
        guard let keyValue = try await run({ try await store.get(AppKeys.status(app)) }) else { return nil }
        return try decode(AppStatus.self, keyValue.value, key: AppKeys.status(app))
    }

    /// Stores the app's observed status under `lease`, so that it goes away
    /// when the orchestrator that writes it stops renewing the lease.
    public func writeStatus(_ status: AppStatus, lease: LeaseID?) async throws(AppError) {
        let request = PutRequest(key: Array(AppKeys.status(status.app).utf8), value: try encode(status), lease: lease)
        _ = try await run { try await store.put(request) }
    }

    private func notFound(app: String, service: String) async throws(AppError) -> AppError {
        guard let spec = try await spec(app) else {
            return AppError(.notFound, "no app is named \(app); apply its spec first with stratus apply -f stratus.yaml")
        }
        let known = spec.services.map(\.name).joined(separator: ", ")
        return AppError(.notFound, "app \(app) has no service named \(service); its services are: \(known)")
    }

    private func run<T>(_ body: () async throws -> T) async throws(AppError) -> T {
        do {
            return try await body()
        } catch {
            throw AppError(.unavailable, "the store failed: \(error)")
        }
    }

    private func encode(_ value: some Encodable) throws(AppError) -> [UInt8] {
        do {
            return Array(try SpecCoding.encoder().encode(value))
        } catch {
            throw AppError(.unavailable, "cannot encode \(type(of: value)): \(error)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], key: String) throws(AppError) -> T {
        do {
            return try SpecCoding.decoder().decode(type, from: Data(bytes))
        } catch {
            throw AppError(.unavailable, "the store has an invalid value at \(key): \(error)")
        }
    }
}

/// The outcome of applying an app spec.
public struct ApplyResult: Sendable, Hashable, Codable {
    public struct Service: Sendable, Hashable, Codable {
        public var name: String
        public var replicas: Int
        /// True when the service is new to the app.
        public var created: Bool
    }

    public var app: String
    /// The store revision of the write.
    public var revision: Int64
    public var services: [Service]
}
