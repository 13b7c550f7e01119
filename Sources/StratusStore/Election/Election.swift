public import StratusLog

/// The current leader of an election.
public struct Leader: Sendable, Hashable {
    /// The leader's key in the store.
    public var key: String
    /// The value the leader published, such as its address.
    public var value: String
    /// The create revision of the leader's key. It only grows from one
    /// leader to the next, so a resource that rejects writes with a token
    /// lower than the highest it has seen keeps a deposed leader out
    /// (a fencing token).
    public var fencingToken: Int64
}

/// Leader election over a `KeyValueStore`, the way etcd's election works.
///
/// Each candidate writes a key under the election's prefix, attached to its
/// session's lease. The key with the lowest create revision leads. A
/// candidate waits for the key created just before its own to be deleted,
/// so a leader's death wakes exactly one successor. A candidate whose
/// lease is lost, by expiry or revocation, loses its key and with it its
/// place or its leadership.
public struct Election: Sendable {
    /// The prefix of the candidates' keys, ending in "/".
    public let prefix: String
    private let store: any KeyValueStore
    private let logger: Logger

    /// - Parameter name: the election's name; candidates under the same name
    ///   compete. It must not be empty.
    public init(store: any KeyValueStore, name: String, logger: Logger = Logger(label: "stratus.election")) throws {
        guard !name.isEmpty else {
            throw StoreError.invalid("missing election name: candidates compete under a shared, non-empty name")
        }
        self.store = store
        self.logger = logger
        prefix = name.hasSuffix("/") ? name : name + "/"
    }

    /// Suspends until this candidate leads, and returns its leadership.
    ///
    /// The candidate's key lives on `session`'s lease: when the session is
    /// lost, so is the leadership, and `Leadership.waitUntilLost` returns.
    /// Cancelling the task while waiting deletes the candidate's key.
    ///
    /// - Throws: `StoreError`, or `CancellationError`.
    public func campaign(session: LeaseSession, value: String) async throws -> Leadership {
        let key = prefix + session.lease.description
        let created = try await createKey(key, value: value, lease: session.lease)
        do {
            try await waitForPredecessors(of: key, createRevision: created)
        } catch {
            _ = try? await store.delete(key)
            throw error
        }
        logger.info("elected leader", metadata: ["election.key": .string(key), "election.token": .stringConvertible(created)])
        return Leadership(store: store, session: session, key: key, fencingToken: created)
    }

    /// Writes the candidate's key unless it exists (a campaign resumed on
    /// the same lease), and returns its create revision.
    private func createKey(_ key: String, value: String, lease: LeaseID) async throws -> Int64 {
        let bytes = Array(key.utf8)
        let response = try await store.transaction(TransactionRequest(
            compare: [Compare(key: bytes, .createRevision(0), .equal)],
            success: [.put(PutRequest(key: bytes, value: Array(value.utf8), lease: lease))],
            failure: [.range(RangeRequest(.key(bytes)))]
        ))
        if response.succeeded { return response.revision }
        guard case .range(let range) = response.responses.first, let existing = range.keyValues.first else {
            throw StoreError(.unavailable, "election key \(key) vanished while campaigning")
        }
        return existing.createRevision
    }

    /// Waits until no candidate key older than ours remains.
    private func waitForPredecessors(of key: String, createRevision: Int64) async throws {
        while true {
            try Task.checkCancellation()
            let candidates = try await store.range(RangeRequest(.prefix(prefix)))
            guard candidates.keyValues.contains(where: { $0.keyString == key }) else {
                throw StoreError(.leaseNotFound, "election key \(key) was deleted while waiting: the session's lease is lost")
            }
            let predecessor = candidates.keyValues
                .filter { $0.createRevision < createRevision }
                .max { $0.createRevision < $1.createRevision }
            guard let predecessor else { return }
            try await waitForDelete(of: predecessor.key, after: candidates.revision)
        }
    }

    private func waitForDelete(of key: [UInt8], after revision: Int64) async throws {
        for try await event in store.watch(WatchRequest(.key(key), startRevision: revision + 1)) where event.kind == .delete {
            return
        }
        throw CancellationError()
    }

    /// Returns the current leader, or nil when no candidate campaigns.
    public func leader() async throws -> Leader? {
        let candidates = try await store.range(RangeRequest(.prefix(prefix)))
        return Self.leader(in: candidates.keyValues)
    }

    /// Reports the leader each time it changes, starting with the current
    /// one (nil when no candidate campaigns). The stream ends with an error when
    /// the store fails; cancel the task to stop observing.
    public func observe() -> AsyncThrowingStream<Leader?, any Error> {
        let store = store
        let prefix = prefix
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let candidates = try await store.range(RangeRequest(.prefix(prefix)))
                    var keys = Dictionary(candidates.keyValues.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
                    var current = Self.leader(in: Array(keys.values))
                    continuation.yield(current)
                    for try await event in store.watch(WatchRequest(.prefix(prefix), startRevision: candidates.revision + 1)) {
                        switch event.kind {
                        case .put: keys[event.keyValue.key] = event.keyValue
                        case .delete: keys.removeValue(forKey: event.keyValue.key)
                        }
                        let next = Self.leader(in: Array(keys.values))
                        if next != current {
                            current = next
                            continuation.yield(next)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func leader(in candidates: [KeyValue]) -> Leader? {
        candidates.min { $0.createRevision < $1.createRevision }.map {
            Leader(key: $0.keyString, value: $0.valueString, fencingToken: $0.createRevision)
        }
    }
}

/// This candidate's leadership, until it resigns or its lease is lost.
public struct Leadership: Sendable {
    let store: any KeyValueStore
    let session: LeaseSession
    /// The leader's key.
    public let key: String
    /// See `Leader.fencingToken`.
    public let fencingToken: Int64

    /// Steps down: deletes the leader key so the next candidate is elected.
    /// The session stays usable for another campaign.
    public func resign() async throws {
        _ = try await store.delete(key)
    }

    /// Suspends until the leadership is lost because the session's lease
    /// ended, and returns why. A leader must stop acting as one at once.
    public func waitUntilLost() async -> StoreError {
        await session.waitUntilLost()
    }

    /// Whether the session's lease is lost.
    public var isLost: Bool { session.isLost }
}
