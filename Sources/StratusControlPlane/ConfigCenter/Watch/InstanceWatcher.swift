import StratusConfig
import StratusStore

/// What one instance's watch stream sends: the release the instance sees in
/// each namespace, and a new event only when that release changes.
struct InstanceWatcher: Sendable {
    let center: ConfigCenter
    let coordinates: [NamespaceCoordinates]
    let instance: String
    let labels: [String: String]

    /// The first events, and the store revision they were read at.
    private(set) var revision: Int64 = 0

    init(center: ConfigCenter, coordinates: [NamespaceCoordinates], instance: String, labels: [String: String]) {
        self.center = center
        self.coordinates = coordinates
        self.instance = instance
        self.labels = labels
    }

    /// One line of the stream: an encoded `ConfigWatchEvent`.
    struct Line: Sendable {
        var namespace: NamespaceCoordinates
        /// The release the line carries, 0 for a `NONE` event.
        var release: Int
        var bytes: [UInt8]
    }

    /// Reads every namespace's head in one transaction and returns one line
    /// per namespace.
    mutating func initialEvents() async throws -> [Line] {
        let response = try await center.run(TransactionRequest(success: coordinates.map { .range(RangeRequest(.key(ConfigKeys.head($0)))) }))
        revision = response.revision
        var lines: [Line] = []
        for (namespace, operation) in zip(coordinates, response.responses) {
            var head: ReleaseHead?
            if case .range(let range) = operation, let keyValue = range.keyValues.first {
                head = try center.decode(ReleaseHead.self, keyValue)
            }
            lines.append(try await line(for: namespace, head: head))
        }
        return lines
    }

    func line(for namespace: NamespaceCoordinates, head: ReleaseHead?) async throws -> Line {
        let number = head?.visibleRelease(instanceID: instance, labels: labels) ?? 0
        guard number > 0 else {
            return Line(namespace: namespace, release: 0, bytes: try ConfigJSON.encode(ConfigWatchEvent(type: .none, namespace: namespace.namespace)))
        }
        return Line(namespace: namespace, release: number, bytes: try await center.revealedRelease(namespace, number).eventLine)
    }

    /// The first lines, then one for each head change after `revision`
    /// that changes the release the instance sees. The events end with an
    /// error when the hub ends the changes, so the client reconnects.
    func events(first: [Line], changes: AsyncStream<HeadChange>, onEnd: @escaping @Sendable () -> Void) -> AsyncThrowingStream<Line, any Error> {
        // The stream pulls the hub's changes in the consumer's task, without a
        // task of its own, which saves a task switch per line.
        let cursor = WatchCursor(first: first, changes: changes, onEnd: onEnd)
        return AsyncThrowingStream(unfolding: { try await cursor.next(self) })
    }
}

/// The position of one watch stream: the lines still to send first, the
/// hub's changes, and the release the instance sees in each namespace.
///
/// `@unchecked Sendable`: only the task that consumes the stream calls
/// `next`, one call at a time.
private final class WatchCursor: @unchecked Sendable {
    private var first: [InstanceWatcher.Line]
    private var changes: AsyncStream<HeadChange>.Iterator
    private var visible: [NamespaceCoordinates: Int] = [:]
    private let onEnd: @Sendable () -> Void

    init(first: [InstanceWatcher.Line], changes: AsyncStream<HeadChange>, onEnd: @escaping @Sendable () -> Void) {
        self.first = first
        self.changes = changes.makeAsyncIterator()
        self.onEnd = onEnd
    }

    func next(_ watcher: InstanceWatcher) async throws -> InstanceWatcher.Line? {
        if !first.isEmpty {
            let line = first.removeFirst()
            visible[line.namespace] = line.release
            return line
        }
        while let change = await changes.next() {
            guard change.revision > watcher.revision, watcher.coordinates.contains(change.namespace) else { continue }
            let line = try await watcher.line(for: change.namespace, head: change.head)
            guard visible[line.namespace] != line.release else { continue }
            visible[line.namespace] = line.release
            return line
        }
        throw ConfigCenterError(.unavailable, "the control plane ended the config watch; watch again")
    }

    deinit {
        onEnd()
    }
}
