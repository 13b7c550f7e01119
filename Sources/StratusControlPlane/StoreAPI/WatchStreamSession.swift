import StratusLog
import StratusStore
import Synchronization

/// One `/v3/watch` response: reads the messages of the request body in
/// order and runs the watches they create on one stream of JSON lines,
/// each `{"result": WatchResponse}`, as etcd's gateway does.
///
/// - `create_request` starts a watch with the client's `watch_id`, or with
///   the lowest unused id from 0 up when that is 0. A `watch_id` in use gets
///   a response with `created` and `canceled` both true.
/// - `cancel_request` ends a watch and writes its `canceled` response after
///   its last event. An unknown id is ignored, as in etcd.
/// - `progress_request` gets a response with `watch_id` -1 whose revision
///   every watch of the stream has delivered through.
/// - An invalid message gets one stream error line, and the response ends.
///
/// When the client goes away the server cancels the producer task, which
/// ends every watch and releases the store's watches. Once the request body
/// has ended (as it does at once for a body sent in one piece) and no watch
/// remains, the response ends, because nothing more can be written.
final class WatchStreamSession: Sendable {
    private struct Entry {
        var task: Task<Void, Never>
        var progress: WatchProgress
    }

    private struct State {
        var watches: [Int64: Entry] = [:]
        var nextAutomaticID: Int64 = 0
    }

    private let api: StoreGatewayAPI
    private let output: SerialLineWriter
    private let state = Mutex(State())

    init(api: StoreGatewayAPI, output: SerialLineWriter) {
        self.api = api
        self.output = output
    }

    /// Handles `first` and the later messages from `reader` until the body
    /// ends, then waits for the watches to end. Throws when a write fails.
    func run(first: WatchMessage, reader: JSONMessageReader) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var message: WatchMessage? = first
            while let current = message {
                try await handle(current, in: &group)
                do throws(GatewayError) {
                    message = try await reader.next().map { (fields) throws(GatewayError) in try WatchMessage.decode(fields) }
                } catch where error.code == .cancelled {
                    // The body broke off, as when the client closed the connection.
                    message = nil
                } catch {
                    try await output.write(error.streamLine)
                    group.cancelAll()
                    return
                }
            }
            try await group.waitForAll()
        }
    }

    private func handle(_ message: WatchMessage, in group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        switch message {
        case .create(let create):
            try await start(create, in: &group)
        case .cancel(let id):
            try await cancel(id)
        case .progress:
            try await writeProgress()
        }
    }

    private func start(_ create: WatchCreate, in group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        let current: Int64
        do {
            current = try await api.currentRevision()
        } catch {
            return try await reject(create, revision: 0, reason: "the watch could not start: \(error.message)")
        }
        let start = WatchForwarder.startRevision(of: create, currentRevision: current)
        let progress = WatchProgress(startRevision: start, currentRevision: current)
        guard let id = reserveID(create.watchID, progress: progress) else {
            let reason = "watch id \(create.watchID) is already in use on this stream; choose another or send 0 for one the server assigns"
            return try await reject(create, revision: current, reason: reason)
        }
        // Written here rather than by the watch's task, so that the created
        // responses follow the order of the requests.
        try await output.write(Self.result(api: api, watchID: id, revision: current) { $0.bool("created", true) })
        let forwarder = WatchForwarder(id: id, create: create, api: api, output: output, progress: progress)
        let task = Task { await forwarder.run(currentRevision: current) }
        state.withLock { $0.watches[id]?.task = task }
        api.configuration.logger.debug("watch started", metadata: ["watch.id": "\(id)", "watch.start_revision": "\(start)"])
        group.addTask { [self] in
            await withTaskCancellationHandler {
                await task.value
            } onCancel: {
                task.cancel()
            }
            _ = state.withLock { $0.watches.removeValue(forKey: id) }
            api.configuration.logger.debug("watch ended", metadata: ["watch.id": "\(id)"])
        }
    }

    /// Writes the response to a create request that starts no watch.
    private func reject(_ create: WatchCreate, revision: Int64, reason: String) async throws {
        try await output.write(Self.result(api: api, watchID: create.watchID, revision: revision) { object in
            object.bool("created", true)
            object.bool("canceled", true)
            object.string("cancel_reason", reason)
        })
    }

    /// Claims `requested`, or the lowest free id when it is 0, with a
    /// placeholder task until the real one starts. Nil when `requested` is in use.
    private func reserveID(_ requested: Int64, progress: WatchProgress) -> Int64? {
        state.withLock { state in
            var id = requested
            if id == 0 {
                while state.watches[state.nextAutomaticID] != nil {
                    state.nextAutomaticID += 1
                }
                id = state.nextAutomaticID
                state.nextAutomaticID += 1
            } else if state.watches[id] != nil {
                return nil
            }
            state.watches[id] = Entry(task: Task {}, progress: progress)
            return id
        }
    }

    private func cancel(_ id: Int64) async throws {
        guard let entry = state.withLock({ $0.watches.removeValue(forKey: id) }) else { return }
        entry.task.cancel()
        await entry.task.value
        try await output.write(Self.result(api: api, watchID: id, revision: try await api.currentRevision()) { object in
            object.bool("canceled", true)
        })
    }

    /// Writes the response to a `progress_request`: the lowest revision that
    /// every watch delivered through, or the current revision without watches.
    private func writeProgress() async throws {
        let delivered = state.withLock { $0.watches.values.map(\.progress.deliveredRevision).min() }
        var revision = delivered ?? 0
        if delivered == nil {
            revision = try await api.currentRevision()
        }
        try await output.write(Self.result(api: api, watchID: -1, revision: revision) { _ in })
    }

    /// Returns `{"result": WatchResponse}` with the header, the watch id and
    /// the fields that `fill` adds.
    static func result(api: StoreGatewayAPI, watchID: Int64, revision: Int64, _ fill: (inout ResponseObject) -> Void) -> JSONValue {
        var response = ResponseObject()
        response.set("header", api.encoder.header.object(revision: revision))
        response.int64("watch_id", watchID)
        fill(&response)
        var line = ResponseObject()
        line.set("result", response.value)
        return line.value
    }
}
