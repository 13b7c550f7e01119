import Foundation
public import StratusLog
import StratusHTTP
import StratusTelemetry
import Synchronization

/// The instances of one service, kept in a local cache fed by the control
/// plane's watch.
///
/// `start` lists the service and then follows its changes. Reads
/// (`snapshot`) come from the cache and never wait for the network. When
/// the control plane becomes unreachable the cache keeps the last known
/// list, the discovery logs that once and sets the gauge
/// `stratus_discovery_stale{service}` to 1; on reconnection it lists again
/// (a resync) and sets it back to 0. Failed attempts are counted in
/// `stratus_discovery_control_plane_errors_total{service}`.
///
/// Thread safety: all methods may be called from any task.
public final class ServiceDiscovery: Sendable {
    private struct State {
        var instances: [String: ServiceInstance] = [:]
        var snapshot = InstanceSnapshot.empty
        var revision: Int64 = 0
        var synced = false
        var subscribers: [UInt64: AsyncStream<InstanceSnapshot>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        var syncWaiters: [CheckedContinuation<Void, Never>] = []
    }

    public let service: String
    private let client: ControlPlaneClient
    private let logger: Logger
    private let state = Mutex(State())
    private let follower: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let stale: Gauge
    private let errors: Counter
    /// The maximum wait between reconnection attempts.
    static let maxBackoff: Duration = .seconds(5)

    public init(client: ControlPlaneClient, service: String, logger: Logger = Logger(label: "stratus.discovery")) {
        self.client = client
        self.service = service
        self.logger = logger
        stale = Gauge(label: "stratus_discovery_stale", dimensions: [("service", service)], help: "1 while discovery serves a cached list because the control plane is unreachable.")
        errors = Counter(label: "stratus_discovery_control_plane_errors_total", dimensions: [("service", service)], help: "Failed attempts to list or watch a service.")
    }

    /// Starts following the service in the background and returns once the
    /// first list arrived or, when the control plane is unreachable, after
    /// the first attempt failed (the cache is then empty until it responds).
    public func start() async {
        let task = Task { [weak self] in
            guard let self else { return }
            await self.follow()
        }
        follower.withLock { $0 = task }
        await waitForFirstAttempt()
    }

    public func stop() {
        follower.withLock { $0?.cancel() }
        let subscribers = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        subscribers.forEach { $0.finish() }
    }

    /// The cached instances, all statuses included; load balancers pick
    /// among the UP ones.
    public var snapshot: InstanceSnapshot {
        state.withLock { $0.snapshot }
    }

    /// Reports the snapshot after every change, starting with the current one.
    public func updates() -> AsyncStream<InstanceSnapshot> {
        let (stream, continuation) = AsyncStream<InstanceSnapshot>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextSubscriber += 1
            state.subscribers[state.nextSubscriber] = continuation
            continuation.yield(state.snapshot)
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    private func waitForFirstAttempt() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.synced { return true }
                state.syncWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func releaseFirstAttemptWaiters() {
        let waiters = state.withLock { state in
            state.synced = true
            defer { state.syncWaiters = [] }
            return state.syncWaiters
        }
        waiters.forEach { $0.resume() }
    }

    deinit {
        follower.withLock { $0?.cancel() }
    }
}

extension ServiceDiscovery {
    /// Lists, then watches, until cancelled; on any failure waits with
    /// exponential backoff and starts over with a new list.
    private func follow() async {
        var backoff: Duration = .milliseconds(100)
        var unreachable = false
        while !Task.isCancelled {
            do {
                let list = try await client.instances(of: service)
                replace(with: list.instances, revision: list.revision)
                releaseFirstAttemptWaiters()
                if unreachable {
                    unreachable = false
                    stale.set(0)
                    logger.info("control plane reachable again; discovery resynced", metadata: ["service.name": .string(service)])
                }
                backoff = .milliseconds(100)
                try await watch(from: list.revision + 1)
            } catch {
                guard !Task.isCancelled else { return }
                errors.increment()
                releaseFirstAttemptWaiters()
                if !unreachable {
                    unreachable = true
                    stale.set(1)
                    logger.warning("control plane unreachable; serving the last known instances", metadata: ["service.name": .string(service), "error": .string("\(error)")])
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
            }
        }
    }

    /// Follows the watch stream until it ends; throws when it fails.
    private func watch(from revision: Int64) async throws {
        var lines = JSONLineSplitter()
        let response = try await client.openWatch(service: service, from: revision)
        for try await chunk in response.body {
            for line in lines.append(chunk) {
                try apply(line)
            }
        }
        throw DiscoveryError(.unavailable, "the watch stream of \(service) ended")
    }

    private func apply(_ line: [UInt8]) throws {
        if let event = try? JSONDecoder().decode(RegistryEvent.self, from: Data(line)) {
            switch event.type {
            case .put:
                if let instance = event.instance {
                    update({ $0[instance.id] = instance }, at: event.revision)
                }
            case .delete:
                if let id = event.id {
                    update({ $0.removeValue(forKey: id) }, at: event.revision)
                }
            case .resync:
                replace(with: event.instances ?? [], revision: event.revision)
            }
            return
        }
        let failure = try? JSONDecoder().decode(APIErrorBody.self, from: Data(line))
        throw DiscoveryError(.unavailable, failure?.error.message ?? "unreadable watch line")
    }

    private func replace(with instances: [ServiceInstance], revision: Int64) {
        update({ $0 = Dictionary(instances.map { ($0.id, $0) }, uniquingKeysWith: { $1 }) }, at: revision)
    }

    private func update(_ change: (inout [String: ServiceInstance]) -> Void, at revision: Int64) {
        let (snapshot, subscribers) = state.withLock { state in
            change(&state.instances)
            state.revision = revision
            state.snapshot = InstanceSnapshot(instances: state.instances.values.sorted { $0.id < $1.id }, revision: revision)
            return (state.snapshot, Array(state.subscribers.values))
        }
        for subscriber in subscribers {
            subscriber.yield(snapshot)
        }
    }
}
