import StratusDiscovery
import StratusLog
import StratusTelemetry

/// The control plane's active health checker. It probes every registered
/// instance that declares an HTTP `healthCheck` and marks it DOWN or UP in
/// the registry.
///
/// - `run()` lists every instance, then follows the registry's watch of all
///   services. A `resync` event replaces the whole set.
/// - Each instance is probed every `periodSeconds` by its own task. The
///   first probe waits a random part of the period, so that instances
///   registered together do not all probe at once.
/// - `InstanceHealth` turns the results into status changes, which are
///   written with `Registry.setStatus(unless: [.draining])`, so a DRAINING
///   instance is never marked UP or DOWN. DRAINING instances are not probed.
/// - Deregistration: when an instance's delete arrives (deregistered, or its
///   lease expired), its probe task is cancelled and a result in flight is
///   dropped.
/// - Instances with the `https` scheme are skipped with a warning, because
///   the HTTP client speaks no TLS.
///
/// Run it on one control-plane replica at a time: `ControlPlane` runs it
/// only while it leads the health-checker election.
final class HealthChecker: Sendable {
    /// The wait before listing again after the registry watch failed.
    static let retryDelay = Duration.seconds(1)

    let registry: Registry
    let logger: Logger
    let probe: HealthProbe
    let metrics: HealthCheckMetrics
    /// Returns the first probe's delay for a period, from zero up to the period.
    let jitter: @Sendable (Duration) -> Duration
    /// The registry changes applied so far.
    let watermark = RevisionWatermark()
    /// The injected clock's time since the checker was created.
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - probe: sends one probe; tests pass a function in place of HTTP.
    ///   - clock: times the probes. Its `sleep` must end early, by throwing,
    ///     when the task is cancelled.
    ///   - jitter: the first probe's delay for a period; random by default.
    init<C: Clock>(
        registry: Registry,
        logger: Logger,
        metrics: MetricsRegistry = .shared,
        probe: @escaping HealthProbe,
        clock: C,
        jitter: @escaping @Sendable (Duration) -> Duration = HealthChecker.randomDelay
    ) where C.Duration == Duration {
        self.registry = registry
        self.logger = logger
        self.metrics = HealthCheckMetrics(registry: metrics)
        self.probe = probe
        self.jitter = jitter
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// Creates a checker that probes over HTTP on the continuous clock.
    convenience init(registry: Registry, logger: Logger, metrics: MetricsRegistry = .shared) {
        let http = HTTPHealthProbe()
        self.init(registry: registry, logger: logger, metrics: metrics, probe: http.probe, clock: ContinuousClock())
    }

    /// Returns a random delay from zero up to, not including, `period`, in
    /// whole milliseconds.
    static func randomDelay(within period: Duration) -> Duration {
        let milliseconds = period.components.seconds * 1000 + period.components.attoseconds / 1_000_000_000_000_000
        return milliseconds > 0 ? .milliseconds(Int64.random(in: 0..<milliseconds)) : .zero
    }

    /// The time on the injected clock, as an offset from its origin.
    var now: Duration { elapsed() }

    /// Sleeps on the injected clock until `offset`. Throws when cancelled.
    func sleep(until offset: Duration) async throws {
        try await sleeper(offset)
    }

    /// Probes the registry's instances until the calling task is cancelled,
    /// then cancels every probe and returns once no probe task runs, so no
    /// status is written after `run()` returns.
    ///
    /// A failed watch is logged and the registry listed again after
    /// `retryDelay`. Each call starts from a fresh listing: nothing is kept
    /// from an earlier run.
    func run() async {
        let table = ProbeTable { [self] table, instance, check, generation in
            await probeLoop(instance, check: check, generation: generation, table: table)
        }
        logger.info("health checker started")
        while !Task.isCancelled {
            do {
                try await follow(into: table)
            } catch {
                guard !Task.isCancelled else { break }
                logger.warning("registry watch failed; listing again", metadata: ["error": .string("\(error)")])
                try? await sleep(until: now + Self.retryDelay)
            }
        }
        let tracked = table.count
        for task in table.stop() {
            await task.value
        }
        logger.info("health checker stopped", metadata: ["health.instances": .stringConvertible(tracked)])
    }
}
