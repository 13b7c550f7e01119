import StratusDiscovery
import StratusHTTP

extension ConfigCenterClient {
    public func createNamespace(_ namespace: NamespaceCoordinates, _ request: CreateNamespaceRequest) async throws(ConfigCenterError) -> NamespaceInfo {
        try await send(.put, Self.path(namespace), body: request, as: NamespaceInfo.self)
    }

    public func namespaces(application: String, environment: String) async throws(ConfigCenterError) -> NamespaceList {
        try await send(.get, "/api/v1/config/apps/\(application)/envs/\(environment)/namespaces", as: NamespaceList.self)
    }

    public func info(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> NamespaceInfo {
        try await send(.get, Self.path(namespace), as: NamespaceInfo.self)
    }

    public func setSchema(_ namespace: NamespaceCoordinates, _ request: SetSchemaRequest) async throws(ConfigCenterError) -> NamespaceInfo {
        try await send(.put, Self.path(namespace, "/schema"), body: request, as: NamespaceInfo.self)
    }

    public func draft(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> Draft {
        try await send(.get, Self.path(namespace, "/draft"), as: Draft.self)
    }

    public func setItem(_ namespace: NamespaceCoordinates, key: String, _ request: SetItemRequest) async throws(ConfigCenterError) -> Draft {
        try await send(.put, Self.path(namespace, "/draft/items/\(key)"), body: request, as: Draft.self)
    }

    public func deleteItem(_ namespace: NamespaceCoordinates, key: String, author: String) async throws(ConfigCenterError) -> Draft {
        try await send(.delete, Self.path(namespace, "/draft/items/\(key)?author=\(Self.query(author))"), as: Draft.self)
    }

    public func setDocument(_ namespace: NamespaceCoordinates, _ request: SetDocumentRequest) async throws(ConfigCenterError) -> Draft {
        try await send(.put, Self.path(namespace, "/draft/document"), body: request, as: Draft.self)
    }

    public func publish(_ namespace: NamespaceCoordinates, _ request: PublishRequest) async throws(ConfigCenterError) -> Release {
        try await send(.post, Self.path(namespace, "/releases"), body: request, as: Release.self)
    }

    public func history(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> ReleaseHistory {
        try await send(.get, Self.path(namespace, "/releases"), as: ReleaseHistory.self)
    }

    public func release(_ namespace: NamespaceCoordinates, number: Int) async throws(ConfigCenterError) -> Release {
        try await send(.get, Self.path(namespace, "/releases/\(number)"), as: Release.self)
    }

    public func rollback(_ namespace: NamespaceCoordinates, _ request: RollbackRequest) async throws(ConfigCenterError) -> Release {
        try await send(.post, Self.path(namespace, "/rollback"), body: request, as: Release.self)
    }

    /// Compares two versions: release numbers, `draft` or `none`; nil picks
    /// the main release for `from` and the draft for `to`.
    public func diff(_ namespace: NamespaceCoordinates, from: String? = nil, to: String? = nil) async throws(ConfigCenterError) -> ReleaseDiff {
        let query = [from.map { "from=\(Self.query($0))" }, to.map { "to=\(Self.query($0))" }].compactMap { $0 }.joined(separator: "&")
        return try await send(.get, Self.path(namespace, "/diff") + (query.isEmpty ? "" : "?" + query), as: ReleaseDiff.self)
    }

    public func startGray(_ namespace: NamespaceCoordinates, _ request: GrayStartRequest) async throws(ConfigCenterError) -> Release {
        try await send(.post, Self.path(namespace, "/gray"), body: request, as: Release.self)
    }

    public func promoteGray(_ namespace: NamespaceCoordinates, _ request: GrayDecisionRequest) async throws(ConfigCenterError) -> ReleaseHead {
        try await send(.post, Self.path(namespace, "/gray/promote"), body: request, as: ReleaseHead.self)
    }

    public func abandonGray(_ namespace: NamespaceCoordinates, _ request: GrayDecisionRequest) async throws(ConfigCenterError) -> ReleaseHead {
        try await send(.post, Self.path(namespace, "/gray/abandon"), body: request, as: ReleaseHead.self)
    }

    /// Returns the newest audit entries, narrowed to an application, an
    /// environment of it, or a namespace.
    public func audit(application: String? = nil, environment: String? = nil, namespace: String? = nil, limit: Int = 100) async throws(ConfigCenterError) -> AuditLog {
        var query = ["limit=\(limit)"]
        if let application { query.append("app=\(Self.query(application))") }
        if let environment { query.append("env=\(Self.query(environment))") }
        if let namespace { query.append("namespace=\(Self.query(namespace))") }
        return try await send(.get, "/api/v1/config/audit?" + query.joined(separator: "&"), as: AuditLog.self)
    }

    /// Returns the release an instance sees, secret values decrypted.
    public func currentRelease(_ namespace: NamespaceCoordinates, instance: String, labels: [String: String] = [:]) async throws(ConfigCenterError) -> Release {
        let query = "?instance=\(Self.query(instance))&labels=\(Self.query(GraySelector.format(labels: labels)))"
        return try await send(.get, Self.path(namespace, "/current" + query), as: Release.self)
    }

    /// Reports what an instance did with a release.
    public func report(_ namespace: NamespaceCoordinates, _ report: InstanceReport) async throws(ConfigCenterError) {
        try await send(.put, Self.path(namespace, "/instances/\(report.instance)"), body: report)
    }

    /// Opens the watch stream of an instance's namespaces and returns the
    /// response whose body streams `ConfigWatchEvent` lines.
    func openWatch(application: String, environment: String, namespaces: [String], instance: String, labels: [String: String]) async throws(ConfigCenterError) -> HTTPClientResponse {
        let path = "/api/v1/config/apps/\(application)/envs/\(environment)/watch?namespaces=\(Self.query(namespaces.joined(separator: ",")))"
            + "&instance=\(Self.query(instance))&labels=\(Self.query(GraySelector.format(labels: labels)))"
        do {
            return try await controlPlane.openStream(path, description: "config watch of \(application)/\(environment)")
        } catch {
            throw Self.convert(error)
        }
    }
}
