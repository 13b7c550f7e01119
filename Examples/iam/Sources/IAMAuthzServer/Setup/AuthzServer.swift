import Foundation
import Glibc
import IAMHTTP
public import IAMModel
public import StratusKit

/// `iam-authz-server`: `POST /v1/authz` decisions from an in-memory copy of
/// every secret and policy, kept current from `iam-apiserver`.
public enum AuthzServer {
    public static let name = "iam-authz-server"
    public static let version = "1.0.0"

    /// Reads the service's sections and adds the route, the cache updater,
    /// the audit sender and a readiness check that passes once the first
    /// snapshot is loaded.
    ///
    /// With an `events` section, changes arrive on the event bus and audit
    /// records leave on it. Without one, the server long-polls the API
    /// server's change feed and posts audit records to the pump.
    @MainActor
    public static func configure(_ app: ServiceApplication, now: @escaping @Sendable () -> Timestamp = Timestamp.now) throws {
        let settings = try app.configuration.load(AuthzServerSettings.self, at: "apiserver") ?? AuthzServerSettings()
        let auditSettings = try app.configuration.load(AuditSettings.self, at: "audit") ?? AuditSettings()
        guard !settings.internalToken.isEmpty else {
            throw StartupError("apiserver.internalToken is not set; set it to the API server's internal.token, for example in IAM_AUTHZ_SERVER_APISERVER_INTERNALTOKEN")
        }
        let instanceID = app.settings.controlPlane?.instanceID ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let cache = AuthorizationCache()
        var source: any ChangeSource = APIServerChangeSource(client: app.serviceClient("iam-apiserver"), token: settings.internalToken, wait: settings.changeWait)
        var sink: any AuditSink = PumpAuditSink(client: app.serviceClient("iam-pump"), token: auditSettings.token)
        if let bus = app.events {
            source = EventBusChangeSource(snapshots: source, bus: bus, instanceID: instanceID, wait: settings.changeWait, logger: app.logger)
            sink = EventBusAuditSink(bus: bus)
        }
        let updater = CacheUpdater(cache: cache, source: source, safetyInterval: settings.safetyReload, logger: app.logger)
        let audit = AuditBuffer(
            sink: sink, capacity: auditSettings.capacity, batchSize: auditSettings.batchSize, metrics: app.metrics, logger: app.logger
        )
        let routes = AuthzRoutes(
            cache: cache, verifier: AccessTokenVerifier(cache: cache, now: now), audit: audit, instanceID: instanceID, version: version
        )
        routes.register(on: app.router)
        app.addReadinessCheck("authorization-data") {
            guard cache.isLoaded else { throw StartupError("secrets and policies are not loaded yet") }
        }
        app.addWorker("authorization-data") { await updater.run() }
        app.addWorker("audit-sender") { await audit.run(interval: auditSettings.flushInterval) }
    }
}
