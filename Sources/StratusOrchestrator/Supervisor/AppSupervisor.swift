import Foundation
import Glibc
import StratusAppSpec
public import StratusControlPlane
public import StratusLog
public import StratusStore
import StratusHTTP

/// Runs one app's replicas as child processes and reconciles them toward
/// the desired state in the store: the ReplicaSet and Deployment
/// controllers, the kubelet's restarts and probes, and the autoscaler, for
/// one machine.
///
/// It reads the app's spec and deployments from the store, watches them, and
/// about every `tick` compares what runs with what they ask for. It writes
/// what it observes to the store as the app's `AppStatus`, under a lease.
///
/// ```swift
/// let supervisor = AppSupervisor(configuration: configuration, store: controlPlane.store, registry: controlPlane.registry)
/// try await supervisor.start()
/// await supervisor.waitUntilDeleted()     // `stratus down` deletes the app
/// await supervisor.shutdown()
/// ```
///
/// Thread safety: an actor. Replica processes report their exits and probe
/// results from threads and tasks of their own, which hop onto the actor.
public actor AppSupervisor {
    public struct Configuration: Sendable {
        public var app: String
        /// The directory of the replicas' log files, which go under `logs/`.
        public var stateDirectory: String
        /// The control plane's base URL, passed to replicas as `STRATUS_CONTROLPLANE`.
        public var controlPlaneURL: String
        public var backoff = CrashBackoff()
        /// How often the supervisor reconciles when nothing reports a change.
        public var tick: Duration = .milliseconds(100)
        /// The environment replicas start from, before the service's own
        /// variables and `PORT`, `STRATUS_CONTROLPLANE` and `STRATUS_INSTANCE_ID`.
        public var environment: [String: String]
        public var terminal: TerminalOutput?
        public var logger = Logger(label: "stratus.orchestrator")

        /// - Parameter environment: nil for this process's environment.
        public init(app: String, stateDirectory: String, controlPlaneURL: String, environment: [String: String]? = nil) {
            self.app = app
            self.stateDirectory = stateDirectory
            self.controlPlaneURL = controlPlaneURL
            self.environment = environment ?? ProcessInfo.processInfo.environment
        }
    }

    let configuration: Configuration
    let repository: AppRepository
    let registry: Registry
    let store: any KeyValueStore
    let probeClient: HTTPClient

    // Desired state, as last read from the store.
    var spec: AppSpec? {
        didSet {
            if let spec { lastSpec = spec }
        }
    }
    /// The last spec read, kept after the app's deletion to stop its
    /// services in order.
    var lastSpec: AppSpec?
    var deployments: [String: DeploymentState] = [:]
    var deleted = false
    var deletionWaiters: [CheckedContinuation<Void, Never>] = []

    // Observed state.
    var replicas: [String: Replica] = [:]
    /// Restarts of replicas that were removed, by service, so that the
    /// service's count does not drop when a rollout replaces them.
    var retiredRestarts: [String: Int] = [:]
    var autoscalers: [String: HorizontalAutoscaler] = [:]
    var utilization: [String: Double] = [:]
    var scalingEvents: [String: [ScalingEvent]] = [:]
    var stopping = false
    var announcedReady = false
    var readyWaiters: [CheckedContinuation<Void, Never>] = []
    /// The gateway's URL and whether it is ready; set by the gateway runner.
    var gatewayURL: String?
    var gatewayReady = true

    // Publishing.
    var lastPublished: AppStatus?
    var lastPublishedAt: ContinuousClock.Instant?
    var statusLease: LeaseID?
    var tasks: [Task<Void, Never>] = []

    public init(configuration: Configuration, store: any KeyValueStore, registry: Registry) {
        self.configuration = configuration
        self.store = store
        self.registry = registry
        repository = AppRepository(store: store)
        var probe = HTTPClientConfiguration()
        probe.connectTimeout = .seconds(1)
        probe.maxConnectionsPerEndpoint = 2
        probe.idleTimeout = .seconds(5)
        probeClient = HTTPClient(configuration: probe)
    }

    /// Reads the desired state and starts reconciling, watching the store
    /// and running the autoscaler.
    /// - Throws: `OrchestratorError` when the app has no spec in the store or
    ///   the log directory cannot be created.
    public func start() async throws {
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let revision = try await reloadDesiredState()
        guard spec != nil else {
            throw OrchestratorError("app \(configuration.app) has no spec in the store; apply one first")
        }
        statusLease = try? await store.grantLease(ttl: 10).id
        tasks.append(Task { await self.watchDesiredState(from: revision + 1) })
        tasks.append(Task { await self.runTicks() })
        tasks.append(Task { await self.runAutoscaler() })
        tasks.append(Task { await self.renewStatusLease() })
        reconcile()
    }

    /// Suspends until the app's spec is deleted from the store, as `stratus down` does.
    public func waitUntilDeleted() async {
        if deleted { return }
        await withCheckedContinuation { deletionWaiters.append($0) }
    }

    /// Suspends until every service has its desired replicas available and
    /// the gateway, if any, is ready.
    public func waitUntilAvailable() async {
        if announcedReady { return }
        await withCheckedContinuation { readyWaiters.append($0) }
    }

    var logDirectory: String {
        configuration.stateDirectory + "/logs"
    }

    func logPath(for id: String) -> String {
        "\(logDirectory)/\(id).log"
    }

    /// Sets the gateway's URL and readiness, which the status shows.
    public func setGateway(url: String?, ready: Bool) {
        gatewayURL = url
        gatewayReady = ready
    }

    /// Reads the spec and deployments and returns the store revision read.
    @discardableResult
    func reloadDesiredState() async throws -> Int64 {
        let response = try await store.list(prefix: AppKeys.app(configuration.app))
        spec = try await repository.spec(configuration.app)
        deployments = try await repository.deployments(configuration.app)
        if spec == nil {
            markDeleted()
        }
        return response.revision
    }

    func markDeleted() {
        guard !deleted else { return }
        deleted = true
        for waiter in deletionWaiters { waiter.resume() }
        deletionWaiters = []
    }

    /// Follows changes to the app's keys. A deleted spec ends the app.
    private func watchDesiredState(from revision: Int64) async {
        var next = revision
        while !Task.isCancelled && !stopping {
            do {
                for try await event in store.watch(prefix: AppKeys.app(configuration.app), from: next) {
                    next = event.revision + 1
                    let key = event.keyValue.keyString
                    if key == AppKeys.status(configuration.app) { continue }
                    if key == AppKeys.spec(configuration.app) && event.kind == .delete {
                        spec = nil
                        markDeleted()
                        continue
                    }
                    try await reloadDesiredState()
                    reconcile()
                }
            } catch {
                if Task.isCancelled || stopping { return }
                configuration.logger.warning("watch of the app's desired state failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func runTicks() async {
        while !Task.isCancelled && !stopping {
            reconcile()
            await publishStatus()
            try? await Task.sleep(for: configuration.tick)
        }
    }

    private func renewStatusLease() async {
        while !Task.isCancelled && !stopping {
            try? await Task.sleep(for: .seconds(3))
            guard let lease = statusLease else { continue }
            if (try? await store.keepAlive(lease)) == nil {
                statusLease = try? await store.grantLease(ttl: 10).id
            }
        }
    }
}
