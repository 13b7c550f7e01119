public import StratusLog
import Synchronization

/// A lease kept alive in the background for as long as its owner runs.
///
/// The session grants a lease and renews it every third of its TTL. It is
/// lost when the store reports the lease gone, or when no renewal has
/// succeeded for a whole TTL (the store may have expired it meanwhile, so
/// the owner must assume it did). After that the session does not try to
/// recover: the owner starts a new one.
///
/// Thread safety: all methods may be called from any task.
public final class LeaseSession: Sendable {
    private struct State {
        var lost: StoreError?
        var waiters: [CheckedContinuation<StoreError, Never>] = []
    }

    public let lease: LeaseID
    public let ttl: Int64
    private let store: any KeyValueStore
    private let logger: Logger
    private let state = Mutex(State())
    private let renewal: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Grants a lease of `ttl` seconds and starts renewing it.
    public init(store: any KeyValueStore, ttl: Int64, logger: Logger = Logger(label: "stratus.store")) async throws {
        let grant = try await store.grantLease(ttl: ttl)
        self.store = store
        self.logger = logger
        lease = grant.id
        self.ttl = grant.ttl
        startRenewal()
    }

    /// Whether the lease is lost.
    public var isLost: Bool { state.withLock { $0.lost != nil } }

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
        let task = Task { [weak self] in
            guard let interval = self.map({ Duration.milliseconds($0.ttl * 1000 / 3) }) else { return }
            var lastRenewal = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                guard await self.renew(lastRenewal: &lastRenewal) else { return }
            }
        }
        renewal.withLock { $0 = task }
    }

    /// Renews once. Returns false when the lease is lost.
    private func renew(lastRenewal: inout ContinuousClock.Instant) async -> Bool {
        do {
            _ = try await store.keepAlive(lease)
            lastRenewal = .now
            return true
        } catch let error as StoreError where error.code == .leaseNotFound || error.code == .closed {
            markLost(error)
            return false
        } catch {
            logger.warning("lease renewal failed; retrying", metadata: ["lease.id": .string(lease.description), "error": .string("\(error)")])
            guard ContinuousClock.now - lastRenewal < .seconds(ttl) else {
                markLost(StoreError(.timedOut, "lease \(lease) was not renewed for its whole TTL of \(ttl) s; last error: \(error)"))
                return false
            }
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
