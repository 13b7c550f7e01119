import StratusLog

/// The state of one watch: its connection, the events received but not yet
/// delivered, and the first revision not yet delivered.
///
/// When the connection breaks (the member died, closed it, or stayed silent
/// past `watchSilenceTimeout`), the session opens a new one on the next
/// member with `start_revision` set to the last delivered revision + 1.
/// etcd sends a revision's events in one message, and the session reads a
/// message only once it delivered the previous one, so a resumed watch
/// neither repeats nor skips an event.
///
/// A `WatchStream` has one consumer, which calls `next()` serially.
actor EtcdWatchSession {
    nonisolated let control = EtcdWatchControl()
    private let request: WatchRequest
    private let gateway: EtcdGateway
    private let registry: EtcdWatchRegistry
    private let configuration: EtcdStore.Configuration

    /// The first revision not yet delivered. Nil for a watch from now until
    /// etcd reports its current revision on creation.
    private var nextRevision: Int64?
    /// Whether `nextRevision` is the store's newest observed revision + 1
    /// rather than a start revision the caller requested.
    private var startIsImplicit: Bool
    private var deliveredAny = false
    private var pending: [WatchEvent] = []
    private var pendingIndex = 0
    private var connection: EtcdWatchConnection?
    /// The time at which the watch lost its last working connection, for the
    /// reconnect timeout.
    private var failingSince: ContinuousClock.Instant?
    private var finished = false

    init(
        _ request: WatchRequest,
        startRevision: Int64?,
        startIsImplicit: Bool,
        gateway: EtcdGateway,
        registry: EtcdWatchRegistry,
        configuration: EtcdStore.Configuration
    ) {
        self.request = request
        nextRevision = startRevision
        self.startIsImplicit = startIsImplicit
        self.gateway = gateway
        self.registry = registry
        self.configuration = configuration
    }

    deinit {
        // The stream was released: close the connection.
        control.end(.cancelled)
        registry.unregister(control)
    }

    /// Returns the next event, or nil once the consumer cancelled. Throws
    /// `compacted`, `closed` or `unavailable` when the watch ends.
    func next() async throws -> WatchEvent? {
        while true {
            if let event = takePending() {
                return event
            }
            if finished {
                return nil
            }
            if let ending = control.ending {
                finish()
                guard case .storeClosed = ending else { return nil }
                throw StoreError(.closed, "the etcd store was closed, which ended the watch")
            }
            do {
                try await advance()
            } catch {
                finish()
                throw error
            }
        }
    }

    private func takePending() -> WatchEvent? {
        guard pendingIndex < pending.count else { return nil }
        let event = pending[pendingIndex]
        pendingIndex += 1
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
        }
        nextRevision = event.revision + 1
        deliveredAny = true
        return event
    }

    private func finish() {
        finished = true
        connection?.closer.close()
        connection = nil
        registry.unregister(control)
    }

    /// Opens a connection when there is none, else reads and handles one message.
    private func advance() async throws(StoreError) {
        guard var current = connection.take() else {
            connection = try await connect()
            return
        }
        let message: GatewayObject
        do {
            guard let next = try await current.nextMessage() else {
                let error = StoreError(.unavailable, "etcd member \(current.endpoint) ended the watch response")
                return connectionBroke(current, error)
            }
            message = next
        } catch {
            return connectionBroke(current, error.error)
        }
        connection = current
        try handle(message)
    }

    private func handle(_ message: GatewayObject) throws(StoreError) {
        if let error = message.object("error"), let current = connection {
            let failure = EtcdAttemptFailure.streamError(error, endpoint: current.endpoint)
            guard failure.memberFailed else { throw failure.error }
            return connectionBroke(current, failure.error)
        }
        guard let result = message.object("result") else { return }
        if result.bool("canceled") {
            return try cancelled(result)
        }
        if result.bool("created") {
            try created(result)
        }
        for item in result.objects("events") {
            let event = try EtcdDecoder.watchEvent(item)
            if let nextRevision, event.revision < nextRevision {
                continue
            }
            pending.append(event)
        }
    }

    private func created(_ result: GatewayObject) throws(StoreError) {
        if failingSince != nil, let endpoint = connection?.endpoint {
            configuration.logger.info("etcd watch resumed", metadata: [
                "etcd.endpoint": "\(endpoint)",
                "etcd.start_revision": "\(nextRevision ?? 0)",
            ])
        }
        failingSince = nil
        if nextRevision == nil {
            nextRevision = try result.headerRevision() + 1
        }
    }

    /// Handles etcd cancelling the watch: the start revision was compacted,
    /// or another reason that a new connection would meet again.
    private func cancelled(_ result: GatewayObject) throws(StoreError) {
        let compactRevision = try result.int64("compact_revision")
        let start = nextRevision ?? 0
        connection?.closer.close()
        connection = nil
        guard compactRevision > 0 else {
            let reason = result.string("cancel_reason") ?? "no reason given"
            throw StoreError(.unavailable, "etcd cancelled the watch: \(reason); start a new watch once the cause is fixed")
        }
        if startIsImplicit && !deliveredAny {
            // The revision this store last saw is gone: start from etcd's current one.
            startIsImplicit = false
            nextRevision = nil
            return
        }
        throw StoreError(
            .compacted,
            "watch start revision \(start) was compacted; history starts at revision \(compactRevision): list the keys again and watch from the list's revision + 1",
            compactRevision: compactRevision
        )
    }

    private func connectionBroke(_ broken: EtcdWatchConnection, _ error: StoreError) {
        broken.closer.close()
        connection = nil
        guard control.ending == nil else { return }
        if failingSince == nil {
            failingSince = .now
        }
        gateway.memberFailed(broken.endpoint, error)
        configuration.logger.warning("etcd watch connection broke; reconnecting", metadata: [
            "etcd.endpoint": "\(broken.endpoint)",
            "etcd.start_revision": "\(nextRevision ?? 0)",
            "error": "\(error)",
        ])
    }

    /// Opens a connection at the preferred member, moving through the
    /// members with a growing pause between rounds, until one accepts or
    /// `watchReconnectTimeout` has passed since the watch lost its last
    /// working connection. Returns nil when the watch ended meanwhile.
    private func connect() async throws(StoreError) -> EtcdWatchConnection? {
        var pause = Duration.milliseconds(50)
        while true {
            for _ in gateway.endpoints.indices {
                guard control.ending == nil else { return nil }
                let endpoint = gateway.endpoints[gateway.preferredIndex]
                do {
                    return try await open(at: endpoint)
                } catch {
                    guard control.ending == nil else { return nil }
                    guard error.memberFailed else { throw error.error }
                    gateway.memberFailed(endpoint, error.error)
                    try checkReconnectTimeout(error.error)
                }
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(1))
        }
    }

    private func open(at endpoint: EtcdEndpoint) async throws(EtcdAttemptFailure) -> EtcdWatchConnection {
        let closer = EtcdConnectionCloser()
        control.attach(closer)
        let message = EtcdEncoder.watchCreate(request, startRevision: nextRevision ?? 0)
        return try await EtcdWatchConnection.open(
            message,
            at: endpoint,
            client: registry.client,
            timeout: configuration.requestTimeout,
            closer: closer
        )
    }

    private func checkReconnectTimeout(_ error: StoreError) throws(StoreError) {
        let since = failingSince ?? .now
        failingSince = since
        guard ContinuousClock.now - since < configuration.watchReconnectTimeout else {
            throw StoreError(.unavailable, "no etcd member accepted the watch for \(configuration.watchReconnectTimeout); last error: \(error.message)")
        }
    }
}
