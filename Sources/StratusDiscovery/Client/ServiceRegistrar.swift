public import StratusLog
import Synchronization

/// Keeps one instance registered with the control plane while the service
/// runs.
///
/// `start` registers and starts heartbeats at a third of the TTL, with
/// ±10 % jitter so that instances started together spread out. When a
/// heartbeat finds the registration gone (its lease expired, for example
/// while the control plane restarted) the registrar registers again.
/// When the control plane is unreachable it logs once, keeps trying at the
/// heartbeat rate, and logs again when it is back. `stop` deregisters.
///
/// Thread safety: all methods may be called from any task.
public final class ServiceRegistrar: Sendable {
    public let instance: ServiceInstance
    public let ttlSeconds: Int64
    private let client: ControlPlaneClient
    private let logger: Logger
    private let heartbeats: Mutex<Task<Void, Never>?> = Mutex(nil)
    /// The lease of the current registration, sent with each heartbeat.
    private let lease = Mutex<String?>(nil)

    public init(client: ControlPlaneClient, instance: ServiceInstance, ttlSeconds: Int64 = 3, logger: Logger = Logger(label: "stratus.discovery")) {
        self.client = client
        self.instance = instance
        self.ttlSeconds = ttlSeconds
        self.logger = logger
    }

    /// Registers the instance and starts the heartbeats.
    ///
    /// - Throws: `DiscoveryError`: `invalidArgument` with the field at fault
    ///   when the control plane rejects the instance, `unavailable` when no
    ///   control plane responds. Nothing runs in the background after a throw.
    public func start() async throws(DiscoveryError) {
        let registration = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: ttlSeconds))
        lease.withLock { $0 = registration.lease }
        logger.info("instance registered", metadata: metadata)
        let task = Task { [weak self] in
            guard let self else { return }
            await self.beat()
        }
        heartbeats.withLock { $0 = task }
    }

    /// Sets the instance's status, such as DRAINING before a shutdown.
    public func setStatus(_ status: InstanceStatus) async throws(DiscoveryError) {
        try await client.setStatus(service: instance.service, id: instance.id, status: status)
    }

    /// Stops the heartbeats and deregisters, so watchers see the instance
    /// leave at once rather than after the TTL.
    public func stop() async {
        heartbeats.withLock { $0?.cancel() }
        do {
            try await client.deregister(service: instance.service, id: instance.id)
            logger.info("instance deregistered", metadata: metadata)
        } catch {
            logger.warning("deregistration failed; the registration expires after its TTL", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
        }
    }

    private var metadata: Logger.Metadata {
        ["service.name": .string(instance.service), "instance.id": .string(instance.id)]
    }

    /// Returns the next heartbeat interval: a third of the TTL, ±10 %.
    private func nextInterval() -> Duration {
        let base = Double(ttlSeconds) * 1000 / 3
        return .milliseconds(Int64(base * Double.random(in: 0.9...1.1)))
    }

    private func beat() async {
        var unreachable = false
        while !Task.isCancelled {
            try? await Task.sleep(for: nextInterval())
            guard !Task.isCancelled else { return }
            do {
                try await heartbeatOrRegister()
                if unreachable {
                    unreachable = false
                    logger.info("control plane reachable again", metadata: metadata)
                }
            } catch {
                if !unreachable {
                    unreachable = true
                    logger.warning("heartbeat failed; retrying", metadata: metadata.merging(["error": .string("\(error)")]) { $1 })
                }
            }
        }
    }

    private func heartbeatOrRegister() async throws(DiscoveryError) {
        do {
            try await client.heartbeat(service: instance.service, id: instance.id, lease: lease.withLock { $0 })
        } catch where error.code == .notFound {
            logger.info("registration lost; registering again", metadata: metadata)
            let registration = try await client.register(RegistrationRequest(instance: instance, ttlSeconds: ttlSeconds))
            lease.withLock { $0 = registration.lease }
        }
    }

    deinit {
        heartbeats.withLock { $0?.cancel() }
    }
}
