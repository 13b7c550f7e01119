import IAMModel
import IAMStorage
import StratusLog

/// The pump's leader-only jobs: one instance runs them at a time.
struct MaintenanceJobs: Sendable {
    let store: any IAMStore
    let settings: PumpSettings
    let logger: Logger
    let now: @Sendable () -> Timestamp

    static let statisticsBucketSeconds: Int64 = 3600

    /// Counts new audit records into hourly statistics and removes records
    /// past their `expireAt`.
    func aggregate() async throws {
        let counted = try await store.aggregateAuditRecords(bucketSeconds: Self.statisticsBucketSeconds)
        let purged = try await store.purgeAuditRecords(expiredBefore: now())
        if counted > 0 || purged > 0 {
            logger.info("audit records aggregated", metadata: ["counted": .stringConvertible(counted), "purged": .stringConvertible(purged)])
        }
    }

    /// Deletes secrets expired for longer than the grace period, archived
    /// policies past their retention, old change events, and, when
    /// configured, disables users who have not logged in for too long.
    func cleanUp() async throws {
        let time = now()
        let secrets = try await store.deleteSecrets(expiredBefore: time.unixSeconds - settings.expiredSecretGrace.components.seconds, at: time)
        let archived = try await store.purgeArchivedPolicies(deletedBefore: time.adding(seconds: -settings.archiveRetentionDays * 86_400))
        let changes = try await store.purgeChanges(before: time.adding(seconds: -settings.changeRetention.components.seconds))
        var disabled = 0
        if settings.maxInactiveDays > 0 {
            disabled = try await store.disableUsers(lastLoginBefore: time.adding(seconds: -settings.maxInactiveDays * 86_400), at: time)
        }
        logger.info("cleanup finished", metadata: [
            "credentials.deleted": .stringConvertible(secrets), "policies.purged": .stringConvertible(archived),
            "changes.purged": .stringConvertible(changes), "users.disabled": .stringConvertible(disabled),
        ])
    }

    /// Runs `job` every `interval` until cancelled; a failure is logged and
    /// the job runs again at the next interval.
    func repeatEvery(_ interval: Duration, _ name: String, _ job: @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                try await job()
            } catch {
                logger.error("leader job failed", metadata: ["job": .string(name), "error": .string("\(error)")])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
