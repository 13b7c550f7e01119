import IAMHTTP
public import StratusLog

/// Keeps an `AuthorizationCache` current: loads a snapshot, then follows
/// the change source and reloads once for each batch of changes, however
/// many events it holds. A reload also runs every `safetyInterval`, so a
/// lost notice leaves the cache stale for at most that long.
public struct CacheUpdater: Sendable {
    let cache: AuthorizationCache
    let source: any ChangeSource
    let safetyInterval: Duration
    let logger: Logger

    public init(cache: AuthorizationCache, source: any ChangeSource, safetyInterval: Duration, logger: Logger) {
        self.cache = cache
        self.source = source
        self.safetyInterval = safetyInterval
        self.logger = logger
    }

    /// Runs until cancelled. Failures are logged and retried after a
    /// backoff of up to five seconds; they never end the loop.
    public func run() async {
        var failures = 0
        var lastReload = ContinuousClock.now
        while !Task.isCancelled {
            do {
                if !cache.isLoaded || ContinuousClock.now - lastReload >= safetyInterval {
                    try await reload(reason: cache.isLoaded ? "safety interval" : "start")
                    lastReload = ContinuousClock.now
                }
                let batch = try await source.changes(after: cache.revision)
                if !batch.events.isEmpty || batch.revision > cache.revision {
                    try await reload(reason: "\(batch.events.count) change events")
                    lastReload = ContinuousClock.now
                }
                failures = 0
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.warning("authorization data update failed; retrying", metadata: ["error": .string("\(error)"), "failures": .stringConvertible(failures)])
                try? await Task.sleep(for: .milliseconds(min(5000, 100 * (1 << min(failures, 6)))))
            }
        }
    }

    /// Loads a snapshot and logs the counts. The count of secrets is logged
    /// as `credentials`, because the log redactor hides keys named `secrets`.
    private func reload(reason: String) async throws {
        let snapshot = try await source.snapshot()
        cache.apply(snapshot)
        let counts = cache.counts
        logger.info("authorization data loaded", metadata: [
            "reason": .string(reason), "revision": .stringConvertible(snapshot.revision),
            "credentials": .stringConvertible(counts.secrets), "policies": .stringConvertible(counts.policies),
        ])
    }
}
