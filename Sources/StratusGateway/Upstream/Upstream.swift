import StratusDiscovery
import StratusHTTP
import StratusLog
import StratusResilience
import Synchronization

/// The running form of one upstream: its instances, load balancers,
/// outlier detector, active health checks, circuit breaker, retry budget
/// and keep-alive connection pool.
///
/// A reload that leaves an upstream's configuration unchanged keeps its
/// `Upstream`, so connections, ejections and breaker state carry over.
///
/// Thread safety: immutable members, each thread-safe; the derived
/// snapshots are cached behind a `Mutex`.
final class Upstream: Sendable {
    let configuration: UpstreamConfiguration
    let http: HTTPClient
    let source: UpstreamInstanceSource
    let health: ActiveHealthChecker?
    let outliers: OutlierDetector
    let breaker: CircuitBreaker?
    let retryBudget: RetryBudget
    let backoff: ExponentialBackoff
    let stableBalancer: any LoadBalancer
    let canaryBalancer: any LoadBalancer
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let cache = Mutex(SnapshotCache())

    private struct SnapshotCache {
        var sourceVersion: UInt64 = .max
        var healthGeneration: UInt64 = .max
        var healthy = InstanceSnapshot.empty
        var splitVersion: UInt64 = .max
        var splitLabel = ""
        var split: (stable: InstanceSnapshot, canary: InstanceSnapshot) = (.empty, .empty)
    }

    var name: String { configuration.name }

    init(configuration: UpstreamConfiguration, controlPlane: ControlPlaneClient?, logger: Logger) {
        self.configuration = configuration
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.connectTimeout
        http.requestTimeout = configuration.perTryTimeout
        http.readTimeout = configuration.readTimeout
        http.maxConnectionsPerEndpoint = configuration.maxConnectionsPerInstance
        http.poolWaitTimeout = configuration.perTryTimeout
        http.limits.maxBodySize = .max
        self.http = HTTPClient(configuration: http)

        if let service = configuration.service, let controlPlane {
            source = .discovery(ServiceDiscovery(client: controlPlane, service: service, logger: logger))
        } else {
            source = .fixed(name: configuration.name, endpoints: configuration.endpoints)
        }

        health = configuration.healthCheck.map { ActiveHealthChecker(configuration: $0, upstream: configuration.name, logger: logger) }
        let outlier = configuration.outlierDetection
        outliers = OutlierDetector(configuration: OutlierDetectorConfiguration(
            consecutiveFailures: outlier.consecutiveFailures,
            baseEjectionTime: outlier.baseEjectionTime,
            maxEjectionTime: outlier.maxEjectionTime,
            maxEjectedFraction: Double(outlier.maxEjectedPercent) / 100
        ))
        breaker = configuration.circuitBreaker.map { settings in
            CircuitBreaker(
                configuration: CircuitBreakerState.Configuration(consecutiveFailures: settings.consecutiveFailures, openDuration: settings.openDuration),
                mode: settings.dryRun ? .dryRun : .enforce
            ) { opening in
                logger.warning("upstream circuit breaker opened", metadata: [
                    "upstream": .string(configuration.name),
                    "breaker.cause": .string("\(opening.cause)"),
                    "breaker.reasons": .array(opening.recentFailures.map { .string($0) }),
                ])
            }
        }

        let retries = configuration.retries
        retryBudget = RetryBudget(configuration: RetryBudget.Configuration(ratio: retries.budgetRatio, minRetriesPerSecond: retries.budgetMinPerSecond))
        backoff = ExponentialBackoff(base: retries.backoffBase, maximum: retries.backoffMax)
        stableBalancer = configuration.loadBalancing.makeBalancer()
        canaryBalancer = configuration.loadBalancing.makeBalancer()
    }

    /// Starts discovery and health checks; returns once discovery has its
    /// first list or its first attempt failed.
    func start() async {
        if case .discovery(let discovery) = source {
            await discovery.start()
        }
        if let health {
            let source = self.source
            let task = Task { await health.run { source.snapshot.upInstances } }
            tasks.withLock { $0.append(task) }
        }
    }

    /// Stops health checks and discovery, and closes idle connections.
    /// Requests in flight finish; later ones fail.
    func stop() {
        tasks.withLock { tasks in
            tasks.forEach { $0.cancel() }
            tasks = []
        }
        if case .discovery(let discovery) = source {
            discovery.stop()
        }
        http.shutdown()
    }

    /// Returns the UP instances that pass active health checks and are not ejected.
    func available() -> InstanceSnapshot {
        let source = self.source.snapshot
        let generation = health?.generation ?? 0
        let healthy = cache.withLock { cache -> InstanceSnapshot in
            if cache.sourceVersion == source.version && cache.healthGeneration == generation {
                return cache.healthy
            }
            let unhealthy = health?.unhealthyIDs ?? []
            cache.healthy = unhealthy.isEmpty ? source : source.excluding(ids: unhealthy)
            cache.sourceVersion = source.version
            cache.healthGeneration = generation
            return cache.healthy
        }
        return outliers.filter(healthy)
    }

    /// Splits `snapshot` into the instances without and with the version
    /// label `canaryVersion`.
    func split(_ snapshot: InstanceSnapshot, canaryVersion: String) -> (stable: InstanceSnapshot, canary: InstanceSnapshot) {
        cache.withLock { cache in
            if cache.splitVersion == snapshot.version && cache.splitLabel == canaryVersion {
                return cache.split
            }
            let canary = snapshot.instances.filter { $0.version == canaryVersion }
            let stable = snapshot.instances.filter { $0.version != canaryVersion }
            cache.split = (InstanceSnapshot(instances: stable, revision: snapshot.revision), InstanceSnapshot(instances: canary, revision: snapshot.revision))
            cache.splitVersion = snapshot.version
            cache.splitLabel = canaryVersion
            return cache.split
        }
    }
}

extension UpstreamInstanceSource {
    static func fixed(name: String, endpoints: [EndpointConfiguration]) -> UpstreamInstanceSource {
        fixed(upstream: name, endpoints: endpoints)
    }
}
