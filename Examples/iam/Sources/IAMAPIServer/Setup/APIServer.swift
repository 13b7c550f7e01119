import Foundation
import IAMHTTP
public import IAMModel
import IAMStorage
public import StratusKit

/// `iam-apiserver`: login, users, secrets and policies over the IAM
/// storage, wire-compatible with marmotedu/iam v1.
public enum APIServer {
    public static let name = "iam-apiserver"
    public static let version = "1.0.0"

    /// Reads the service's sections, opens and migrates the storage, and
    /// adds the routes and the storage readiness check to `app`.
    ///
    /// - Throws: `StartupError` naming an invalid setting or a storage that
    ///   cannot be opened.
    @MainActor
    public static func configure(_ app: ServiceApplication, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws {
        let settings = try loadSettings(app.configuration)
        let store = try await openStore(settings.storage, now: now)
        let tokens = SessionTokens(settings: settings.jwt, now: now)
        let routes = APIRoutes(
            store: store,
            tokens: tokens,
            authenticator: Authenticator(store: store, tokens: tokens),
            settings: settings,
            changes: ChangeFeed(store: store, pollInterval: settings.internalAPI.pollInterval, maxWait: settings.internalAPI.maxWait),
            version: version
        )
        routes.register(on: app.router)
        app.addReadinessCheck("storage") { try await store.ping() }
        if let bus = app.events {
            let relay = ChangeRelay(store: store, bus: bus, pollInterval: settings.internalAPI.pollInterval, logger: app.logger)
            app.withLeadership("iam-change-relay") { await relay.run() }
        }
        app.logger.info("storage opened", metadata: ["storage.driver": .string(settings.storage.driver.rawValue)])
    }

    static func loadSettings(_ configuration: ConfigurationLoader) throws -> APIServerSettings {
        guard let jwt = try configuration.load(JWTSettings.self, at: "jwt") else {
            throw StartupError("jwt.key is not set; set a key of 6 to 32 characters in the configuration, in IAM_APISERVER_JWT_KEY or with --set jwt.key=KEY")
        }
        if let problem = jwt.problem() { throw StartupError(problem) }
        return APIServerSettings(
            jwt: jwt,
            storage: try configuration.load(StorageSettings.self, at: "storage") ?? StorageSettings(),
            internalAPI: try configuration.load(InternalSettings.self, at: "internal") ?? InternalSettings(),
            limits: try configuration.load(LimitSettings.self, at: "limits") ?? LimitSettings()
        )
    }

    static func openStore(_ settings: StorageSettings, now: @escaping @Sendable () -> Timestamp) async throws -> SQLIAMStore {
        do {
            return try await SQLIAMStore.open(settings, now: now)
        } catch {
            throw StartupError("cannot open the \(settings.driver.rawValue) storage: \(error)")
        }
    }
}
