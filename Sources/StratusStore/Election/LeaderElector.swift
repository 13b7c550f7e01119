public import StratusLog
import Synchronization

/// Runs work on exactly one replica: the one that leads the election `name`
/// over the shared store, like client-go's leader elector.
///
/// Each replica campaigns with a `LeaseSession` of `leaseTTL` seconds.
/// The leader runs `controller` in a child task. When the session's lease
/// is lost (the store expired or revoked it, or renewals stopped for a whole
/// TTL), the controller's task is cancelled at once, the session closed, and
/// the replica campaigns again with a new session. `stop()` cancels the
/// controller and revokes the lease, which deletes the leader key, so
/// another replica is elected at once instead of after the TTL.
///
/// Thread safety: `start`, `stop` and `isLeader` may be called from any
/// task. The campaign loop's session and task are behind a `Mutex`.
public final class LeaderElector: Sendable {
    /// The wait before campaigning again after the store failed.
    static let retryDelay = Duration.seconds(1)

    private struct State {
        var loop: Task<Void, Never>?
        var session: LeaseSession?
        var isLeader = false
        var stopped = false
    }

    public let election: Election
    public let leaseTTL: Int64
    private let store: any KeyValueStore
    private let logger: Logger
    private let controller: @Sendable () async -> Void
    private let state = Mutex(State())

    /// - Parameter controller: runs until its task is cancelled, and
    ///   returns only once it stopped acting.
    /// - Throws: `StoreError` when `name` is empty.
    public init(store: any KeyValueStore, name: String, leaseTTL: Int64, logger: Logger, controller: @escaping @Sendable () async -> Void) throws {
        election = try Election(store: store, name: name, logger: logger)
        self.store = store
        self.leaseTTL = leaseTTL
        self.logger = logger
        self.controller = controller
    }

    /// Whether this replica leads and runs the controller now.
    public var isLeader: Bool {
        state.withLock { $0.isLeader }
    }

    /// Starts campaigning in the background, publishing `candidate` (such as
    /// the replica's address) as the leader's value. Later calls do nothing.
    public func start(candidate: String) {
        state.withLock { state in
            guard state.loop == nil, !state.stopped else { return }
            state.loop = Task { [self] in
                await campaignLoop(candidate: candidate)
            }
        }
    }

    /// Stops the controller and leaves the election, and returns once the
    /// controller has returned.
    public func stop() async {
        let (loop, session) = state.withLock { state in
            state.stopped = true
            return (state.loop, state.session)
        }
        loop?.cancel()
        await session?.close()
        await loop?.value
    }

    private func campaignLoop(candidate: String) async {
        while !Task.isCancelled {
            do {
                try await serveOneTerm(candidate: candidate)
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("leader election failed; campaigning again", metadata: [
                    "election.name": .string(election.prefix),
                    "error": .string("\(error)"),
                ])
                try? await Task.sleep(for: Self.retryDelay)
            }
        }
    }

    /// Campaigns with a new session, runs the controller while leading, and
    /// closes the session in every case.
    private func serveOneTerm(candidate: String) async throws {
        let session = try await LeaseSession(store: store, ttl: leaseTTL, logger: logger)
        let accepted = state.withLock { state in
            guard !state.stopped else { return false }
            state.session = session
            return true
        }
        guard accepted else {
            await session.close()
            return
        }
        do {
            let leadership = try await election.campaign(session: session, value: candidate)
            await lead(leadership, session: session)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }

    /// Runs the controller until the leadership is lost or the task is
    /// cancelled, whichever comes first.
    private func lead(_ leadership: Leadership, session: LeaseSession) async {
        state.withLock { $0.isLeader = true }
        let metadata: Logger.Metadata = ["election.key": .string(leadership.key), "election.token": .stringConvertible(leadership.fencingToken)]
        logger.info("leadership acquired", metadata: metadata)
        let controller = controller
        let lost = await withTaskGroup(of: StoreError?.self) { group in
            group.addTask { await leadership.waitUntilLost() }
            group.addTask {
                await controller()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            // Ends `waitUntilLost`, which cancellation does not end, when the
            // controller returned first.
            await session.close()
            return first
        }
        let stopped = state.withLock { state in
            state.isLeader = false
            return state.stopped
        }
        if let lost, !stopped {
            logger.warning("leadership lost; leader-only work stopped", metadata: metadata.merging(["error": .string("\(lost)")]) { $1 })
        } else {
            logger.info("leadership released", metadata: metadata)
        }
    }
}
