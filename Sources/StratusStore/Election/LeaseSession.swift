public import StratusLog
import Synchronization

/// A lease kept alive in the background for as long as its owner runs.
///
/// The session grants a lease and renews it every third of its TTL. It is
/// lost when the store reports the lease gone, or when a whole TTL has
/// passed since the last renewal that succeeded, counted from when that
/// renewal was sent. The store counts from when it received the renewal,
/// so the session gives the lease up no later than the store can expire
/// it. After that the session does not try to recover: the owner starts a
/// new one.
///
/// Thread safety: all methods may be called from any task.
public final class LeaseSession: Sendable {
    private struct State {
        var lost: StoreError?
        /// When the lease may have expired in the store, on this process's clock.
        var deadline: ContinuousClock.Instant
        var waiters: [CheckedContinuation<StoreError, Never>] = []
    }

    public let lease: LeaseID
    public let ttl: Int64
    private let store: any KeyValueStore
    private let logger: Logger
    private let state: Mutex<State>
    private let renewal: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Grants a lease of `ttl` seconds and starts renewing it.
    public init(store: any KeyValueStore, ttl: Int64, logger: Logger = Logger(label: "stratus.store")) async throws {
        let sent = ContinuousClock.now
        let grant = try await store.grantLease(ttl: ttl)
        self.store = store
        self.logger = logger
        lease = grant.id
        self.ttl = grant.ttl
        state = Mutex(State(deadline: sent + .seconds(grant.ttl)))
        startRenewal()
    }

    /// Whether the lease is lost, or its TTL has run out since the last
    /// successful renewal. A lease holder checks this before each action
    /// that requires the lease.
    public var isLost: Bool {
        state.withLock { $0.lost != nil || ContinuousClock.now >= $0.deadline }
    }

    /// Suspends until the lease is lost and returns why. Returns at once
    /// when it is already lost; cancellation does not end the wait.
    public func waitUntilLost() async -> StoreError {
        await withCheckedContinuation { continuation in
            let lost = state.withLock { state -> StoreError? in
                if let lost = state.lost { return lost }
                state.waiters.append(continuation)
                return nil
            }
            if let lost {
                continuation.resume(returning: lost)
            }
        }
    }

    /// Stops renewing and revokes the lease, deleting its keys. A failed
    /// revoke is left to the lease's expiry.
    public func close() async {
        renewal.withLock { $0?.cancel() }
        do {
            try await store.revokeLease(lease)
        } catch {
            logger.debug("lease revoke failed; it expires on its own", metadata: ["lease.id": .string(lease.description), "error": .string("\(error)")])
        }
        markLost(StoreError(.leaseNotFound, "lease \(lease) was revoked by its session"))
    }

    private func startRenewal() {
        let interval = Duration.milliseconds(ttl * 1000 / 3)
        let task = Task { [weak self] in
            while !Task.isCancelled {
                guard let deadline = self?.state.withLock({ $0.deadline }) else { return }
                try? await Task.sleep(until: min(ContinuousClock.now + interval, deadline))
                guard let self, !Task.isCancelled else { return }
                guard await self.renew() else { return }
            }
        }
        renewal.withLock { $0 = task }
    }

    /// Renews once, unless the deadline has passed. Returns false when the
    /// lease is lost.
    private func renew() async -> Bool {
        let sent = ContinuousClock.now
        guard sent < state.withLock({ $0.deadline }) else {
            markLost(StoreError(.timedOut, "lease \(lease) was not renewed within its TTL of \(ttl) s"))
            return false
        }
        do {
            let granted = try await store.keepAlive(lease)
            state.withLock { $0.deadline = sent + .seconds(granted) }
            return true
        } catch let error as StoreError where error.code == .leaseNotFound || error.code == .closed {
            markLost(error)
            return false
        } catch {
            logger.warning("lease renewal failed; retrying", metadata: ["lease.id": .string(lease.description), "error": .string("\(error)")])
            return true
        }
    }

    private func markLost(_ error: StoreError) {
        let waiters = state.withLock { state -> [CheckedContinuation<StoreError, Never>] in
            guard state.lost == nil else { return [] }
            state.lost = error
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume(returning: error)
        }
    }

    deinit {
        renewal.withLock { $0?.cancel() }
    }
}
