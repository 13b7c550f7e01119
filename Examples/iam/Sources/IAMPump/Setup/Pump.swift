import IAMHTTP
public import IAMModel
import IAMStorage
import StratusEvents
public import StratusKit

/// `iam-pump`: stores the audit records of authorization servers, and, on
/// the leader instance only, aggregates them and cleans up.
///
/// Records arrive on `POST /internal/v1/audit` and, with an `events`
/// section, from the event bus topic `iam.audit`.
public enum Pump {
    public static let name = "iam-pump"
    public static let version = "1.0.0"

    @MainActor
    public static func configure(_ app: ServiceApplication, now: @escaping @Sendable () -> Timestamp = Timestamp.now) async throws {
        let settings = try app.configuration.load(PumpSettings.self, at: "pump") ?? PumpSettings()
        guard !settings.token.isEmpty else {
            throw StartupError("pump.token is not set; set it to the audit.token of the authorization servers, for example in IAM_PUMP_PUMP_TOKEN")
        }
        let storage = try app.configuration.load(StorageSettings.self, at: "storage") ?? StorageSettings()
        let store: SQLIAMStore
        do {
            store = try await SQLIAMStore.open(storage, now: now)
        } catch {
            throw StartupError("cannot open the \(storage.driver.rawValue) storage: \(error)")
        }
        let filter = AuditFilter(
            omitDetailedRecording: settings.omitDetailedRecording,
            usernames: Set(settings.usernames), skipUsernames: Set(settings.skipUsernames)
        )
        let intake = AuditIntake(store: store, filter: filter)
        PumpRoutes(intake: intake, token: settings.token).register(on: app.router)
        app.addReadinessCheck("storage") { try await store.ping() }
        if let bus = app.events {
            let options = SubscriptionOptions(ackTimeout: settings.ackTimeout, maxDeliveries: 10, maxInFlight: 16)
            let consumer = AuditConsumer(bus: bus, intake: intake, options: options, logger: app.logger)
            app.addWorker("audit-consumer") { await consumer.run() }
        }

        let jobs = MaintenanceJobs(store: store, settings: settings, logger: app.logger, now: now)
        app.withLeadership("iam-pump-aggregation") {
            await jobs.repeatEvery(settings.aggregateInterval, "aggregation") { try await jobs.aggregate() }
        }
        app.withLeadership("iam-pump-cleanup") {
            await jobs.repeatEvery(settings.cleanupInterval, "cleanup") { try await jobs.cleanUp() }
        }
    }
}
