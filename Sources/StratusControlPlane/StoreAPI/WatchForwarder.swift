import StratusLog
import StratusStore

/// Runs one watch of a `/v3/watch` stream once its `created` response is
/// out: starts the store's watch, then writes one response per revision
/// with the events the client requested, and progress responses when
/// `progress_notify` is set.
///
/// It ends when its task is cancelled (the client sent a `cancel_request`
/// or went away), when a write fails because the connection closed, or when
/// the store ends the watch. In the last case it writes a `canceled`
/// response: with `compact_revision` when the start revision was compacted
/// or the client fell too far behind, as etcd does, else with the store's
/// message as `cancel_reason`.
struct WatchForwarder: Sendable {
    let id: Int64
    let create: WatchCreate
    let api: StoreGatewayAPI
    let output: SerialLineWriter
    let progress: WatchProgress

    /// Returns the first revision the watch delivers: the requested start
    /// revision, or for a watch from now the revision after `currentRevision`.
    static func startRevision(of create: WatchCreate, currentRevision: Int64) -> Int64 {
        create.request.startRevision ?? currentRevision + 1
    }

    /// Runs the watch until it ends. Write failures end it quietly, because
    /// they mean the client is gone.
    func run(currentRevision: Int64) async {
        var request = create.request
        request.startRevision = Self.startRevision(of: create, currentRevision: currentRevision)
        do {
            let ending = try await withThrowingTaskGroup(of: Void.self) { group in
                if create.progressNotify {
                    group.addTask { try await notifyProgress() }
                }
                defer { group.cancelAll() }
                return try await forwardEvents(of: api.store.watch(request), after: currentRevision)
            }
            if let ending {
                try await writeCancel(ending)
            }
        } catch {
            api.configuration.logger.debug("watch stream write failed; ending the watch", metadata: [
                "watch.id": "\(id)",
                "error": "\(error)",
            ])
        }
    }

    /// Writes the events of each revision, and returns the store's error when
    /// the store ends the watch, or nil when the task was cancelled.
    private func forwardEvents(of stream: WatchStream, after currentRevision: Int64) async throws -> StoreError? {
        var iterator = stream.makeAsyncIterator()
        while true {
            let batch: [WatchEvent]
            do {
                guard let next = try await iterator.nextBatch() else { return nil }
                batch = next
            } catch let error as StoreError {
                return error
            } catch {
                return StoreError(.unavailable, "the watch failed: \(error)")
            }
            let revision = batch[0].revision
            let events = batch.filter(create.wants)
            if !events.isEmpty {
                try await write(revision: max(currentRevision, revision)) { object in
                    object.array("events", events.map(GatewayResponseEncoder.event))
                }
            }
            progress.delivered(revision)
        }
    }

    /// Writes a progress response every `progressNotifyInterval` in which
    /// the watch delivered no event, until the task is cancelled.
    private func notifyProgress() async throws {
        while true {
            try await Task.sleep(for: api.configuration.progressNotifyInterval)
            if progress.wasQuietSinceLastCheck() {
                try await write(revision: progress.deliveredRevision) { _ in }
            }
        }
    }

    private func writeCancel(_ error: StoreError) async throws {
        if error.code == .compacted, let compactRevision = error.compactRevision {
            // etcd leaves the revision out of this header.
            try await write(revision: 0) { object in
                object.bool("canceled", true)
                object.int64("compact_revision", compactRevision)
            }
            return
        }
        api.configuration.logger.warning("store ended a watch", metadata: ["watch.id": "\(id)", "error": "\(error)"])
        try await write(revision: api.currentRevisionOrZero()) { object in
            object.bool("canceled", true)
            object.string("cancel_reason", error.message)
        }
    }

    /// Writes `{"result": WatchResponse}` with the header, the watch id and
    /// the fields that `fill` adds.
    private func write(revision: Int64, _ fill: (inout ResponseObject) -> Void) async throws {
        try await output.write(WatchStreamSession.result(api: api, watchID: id, revision: revision, fill))
    }
}
