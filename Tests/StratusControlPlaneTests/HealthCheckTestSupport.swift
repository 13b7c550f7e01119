import Synchronization
import StratusDiscovery
import StratusHTTP
import StratusLog
import StratusNet
@testable import StratusControlPlane
@testable import StratusStore

/// A clock that moves only when a test calls `advance(by:)`. A sleeper
/// waits until the clock reaches its deadline, and throws
/// `CancellationError` when its task is cancelled.
final class ManualClock: Clock {
    struct Instant: InstantProtocol {
        /// The time since the clock was created.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private struct State {
        var now: Duration = .zero
        var nextSleeperID: UInt64 = 0
        var sleepers: [UInt64: (deadline: Duration, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    // Advanced by the test and read by the probe tasks, so it is a Mutex.
    private let state = Mutex(State())

    var now: Instant {
        Instant(offset: state.withLock { $0.now })
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    /// Moves the clock forward and wakes the sleepers whose deadline it reached.
    func advance(by duration: Duration) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now += duration
            let due = state.sleepers.filter { $0.value.deadline <= state.now }.map(\.key)
            return due.compactMap { state.sleepers.removeValue(forKey: $0)?.continuation }
        }
        for continuation in woken {
            continuation.resume()
        }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            defer { state.nextSleeperID += 1 }
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Bool, CancellationError> in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline.offset <= state.now { return .success(true) }
                    state.sleepers[id] = (deadline.offset, continuation)
                    return .success(false)
                }
                switch outcome {
                case .success(true): continuation.resume()
                case .success(false): break
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// A probe function for tests: returns the outcome set for each instance id
/// (passed until set), and counts the calls, which tests wait on. A held
/// instance's probes wait for `release(_:)` before they return, so a test
/// can look at the registry between two results.
///
/// Thread safety: probe tasks and the test call in, so the state is behind
/// a `Mutex`.
final class ScriptedProbe: Sendable {
    private struct State {
        var outcomes: [String: ProbeOutcome] = [:]
        var calls: [String: Int] = [:]
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: (id: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var heldIDs: Set<String> = []
        var heldCalls: [UInt64: (id: String, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state = Mutex(State())

    /// Makes later probes of the instance `id` return `outcome`.
    func set(_ outcome: ProbeOutcome, for id: String) {
        state.withLock { $0.outcomes[id] = outcome }
    }

    /// Returns the number of probes of the instance `id` so far.
    func calls(of id: String) -> Int {
        state.withLock { $0.calls[id, default: 0] }
    }

    func probe(_ instance: ServiceInstance, _ check: HealthCheck) async -> ProbeOutcome {
        let (outcome, woken) = state.withLock { state -> (ProbeOutcome, [CheckedContinuation<Void, Never>]) in
            let count = state.calls[instance.id, default: 0] + 1
            state.calls[instance.id] = count
            let reached = state.waiters.filter { $0.value.id == instance.id && $0.value.count <= count }.map(\.key)
            let woken = reached.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
            return (state.outcomes[instance.id, default: .passed], woken)
        }
        for continuation in woken {
            continuation.resume()
        }
        await waitWhileHeld(instance.id)
        return outcome
    }

    /// Makes later probes of the instance `id` wait for `release(_:)`.
    func hold(_ id: String) {
        state.withLock { _ = $0.heldIDs.insert(id) }
    }

    /// Lets the held probes of the instance `id` return, and stops holding it.
    func release(_ id: String) {
        let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.heldIDs.remove(id)
            let keys = state.heldCalls.filter { $0.value.id == id }.map(\.key)
            return keys.compactMap { state.heldCalls.removeValue(forKey: $0)?.continuation }
        }
        for continuation in released {
            continuation.resume()
        }
    }

    /// Suspends while the instance is held, or until the task is cancelled.
    private func waitWhileHeld(_ id: String) async {
        let callID = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let free = state.withLock { state in
                    if !state.heldIDs.contains(id) || Task.isCancelled { return true }
                    state.heldCalls[callID] = (id, continuation)
                    return false
                }
                if free {
                    continuation.resume()
                }
            }
        } onCancel: {
            let call = state.withLock { $0.heldCalls.removeValue(forKey: callID) }
            call?.continuation.resume()
        }
    }

    /// Suspends until the instance `id` has been probed `count` times, or
    /// the task is cancelled.
    func waitForCalls(of id: String, count: Int) async {
        let waiterID = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.calls[id, default: 0] >= count || Task.isCancelled { return true }
                    state.waiters[waiterID] = (id, count, continuation)
                    return false
                }
                if ready {
                    continuation.resume()
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: waiterID) }
            waiter?.continuation.resume()
        }
    }
}

/// A store that forwards to another, except that its first watch waits for
/// `releaseWatch()` and then fails with `compacted`, as a watch that fell
/// behind the store's history does. The registry then sends a resync.
final class CompactingWatchStore: KeyValueStore {
    let base: EmbeddedStore
    private let firstWatch = Atomic<Bool>(true)
    private let gate: AsyncStream<Void>
    private let gateContinuation: AsyncStream<Void>.Continuation

    init(base: EmbeddedStore) {
        self.base = base
        (gate, gateContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Lets the first watch fail with `compacted`.
    func releaseWatch() {
        gateContinuation.finish()
    }

    func watch(_ request: WatchRequest) -> WatchStream {
        guard firstWatch.exchange(false, ordering: .relaxed) else {
            return base.watch(request)
        }
        let gate = gate
        return WatchStream(AsyncThrowingStream { continuation in
            let task = Task {
                for await _ in gate {}
                continuation.finish(throwing: StoreError(.compacted, "the test compacted the watch's start revision"))
            }
            continuation.onTermination = { _ in task.cancel() }
        })
    }

    func range(_ request: RangeRequest) async throws -> RangeResponse { try await base.range(request) }
    func put(_ request: PutRequest) async throws -> PutResponse { try await base.put(request) }
    func delete(_ request: DeleteRequest) async throws -> DeleteResponse { try await base.delete(request) }
    func transaction(_ request: TransactionRequest) async throws -> TransactionResponse { try await base.transaction(request) }
    func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant { try await base.grantLease(ttl: ttl, id: id) }
    func keepAlive(_ lease: LeaseID) async throws -> Int64 { try await base.keepAlive(lease) }
    func revokeLease(_ lease: LeaseID) async throws { try await base.revokeLease(lease) }
    func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus { try await base.leaseStatus(lease, includeKeys: includeKeys) }
    func compact(revision: Int64) async throws { try await base.compact(revision: revision) }
    func close() async { await base.close() }
}

struct HealthCheckTestError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing with a message naming `what` when it has not
/// finished within `seconds`. `body` must end when its task is cancelled.
func within<T: Sendable>(_ what: String, seconds: Int = 30, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let value = result else {
            throw HealthCheckTestError(description: "timed out after \(seconds) s waiting for \(what)")
        }
        return value
    }
}

/// Suspends until the instance's status in the registry is `status`. The
/// watch starts after the revision of the read that did not find it yet.
func waitForStatus(_ status: InstanceStatus, of id: String, service: String, in registry: Registry) async throws {
    try await within("instance \(id) to become \(status.rawValue)") {
        let list = try await registry.instances(of: service)
        if list.instances.first(where: { $0.id == id })?.status == status { return }
        for try await event in try registry.watch(service: service, from: list.revision + 1) {
            if event.id == id, event.instance?.status == status { return }
        }
        throw HealthCheckTestError(description: "the registry watch ended before instance \(id) became \(status.rawValue)")
    }
}

/// Returns the instance's status in the registry.
func status(of id: String, service: String, in registry: Registry) async throws -> InstanceStatus? {
    try await registry.instances(of: service).instances.first { $0.id == id }?.status
}

/// A logger that drops everything, for tests that check behavior, not logs.
let quietLogger = Logger(label: "stratus.test.health") { NoOpLogHandler(label: $0) }

/// An HTTP server on a free loopback port with the endpoints that health
/// probes hit. `/healthz` responds with 200 or 503, as `healthy` is set,
/// `/moved` with 302, and `/slow` with 200 after 3 seconds.
final class HealthTarget: Sendable {
    private final class Flag: Sendable {
        let value = Atomic<Bool>(true)
    }

    let port: Int
    private let server: HTTPServer
    private let flag: Flag

    /// Whether `/healthz` responds with 200 rather than 503. Starts true.
    var healthy: Bool {
        get { flag.value.load(ordering: .relaxed) }
        set { flag.value.store(newValue, ordering: .relaxed) }
    }

    private init(server: HTTPServer, port: Int, flag: Flag) {
        self.server = server
        self.port = port
        self.flag = flag
    }

    static func start() async throws -> HealthTarget {
        let flag = Flag()
        let router = Router()
        router.get("/healthz") { _, _ in
            flag.value.load(ordering: .relaxed) ? HTTPStatus.ok : HTTPStatus.serviceUnavailable
        }
        router.get("/moved") { _, _ in HTTPStatus.found }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(3))
            return HTTPStatus.ok
        }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: router.buildResponder(),
            logger: quietLogger
        )
        try await server.start()
        guard let port = server.localAddress?.port else {
            await server.shutdown(gracePeriod: .zero)
            throw HealthCheckTestError(description: "the health target started without a local port")
        }
        return HealthTarget(server: server, port: port, flag: flag)
    }

    func stop() async {
        await server.shutdown(gracePeriod: .milliseconds(100))
    }
}
