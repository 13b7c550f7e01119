import Synchronization

/// A NATS client that keeps one connection to the first reachable server
/// and opens a new one after it closes, on the next call.
///
/// Thread safety: the current connection is behind a `Mutex`; connecting is
/// serialized by sharing one connect task among concurrent callers.
final class NATSClient: Sendable {
    private struct State {
        var current: NATSConnection?
        var connecting: Task<NATSConnection, any Error>?
        var closed = false
    }

    let endpoints: [NATSEndpoint]
    let timeout: Duration
    private let state = Mutex(State())
    private let tokens = Atomic<UInt64>(0)

    init(endpoints: [NATSEndpoint], timeout: Duration) {
        self.endpoints = endpoints
        self.timeout = timeout
    }

    /// Returns an open connection, connecting when there is none.
    func connection() async throws(EventBusError) -> NATSConnection {
        let task = try state.withLock { state throws(EventBusError) -> Task<NATSConnection, any Error> in
            guard !state.closed else { throw EventBusError(.closed, "the event bus was closed; create a new one") }
            if let current = state.current, !current.isClosed {
                return Task { current }
            }
            if let connecting = state.connecting {
                return connecting
            }
            let connecting = Task { try await self.connectToFirstReachable() }
            state.connecting = connecting
            return connecting
        }
        do {
            let connection = try await task.value
            state.withLock { state in
                state.current = connection
                state.connecting = nil
            }
            return connection
        } catch {
            state.withLock { $0.connecting = nil }
            throw error as? EventBusError ?? EventBusError(.unavailable, "\(error)")
        }
    }

    private func connectToFirstReachable() async throws -> NATSConnection {
        var failures: [String] = []
        for endpoint in endpoints {
            do {
                return try await NATSConnection.connect(to: endpoint, timeout: timeout)
            } catch {
                failures.append(error.message)
            }
        }
        throw EventBusError(.unavailable, "no NATS server reachable: \(failures.joined(separator: "; "))")
    }

    /// Returns a token unique in this client, for an inbox subject.
    func nextToken() -> String {
        "t\(tokens.wrappingAdd(1, ordering: .relaxed).newValue)"
    }

    /// Publishes and returns the first reply, or throws `timedOut`.
    func request(_ subject: String, headers: [String: String] = [:], payload: [UInt8], timeout: Duration? = nil) async throws(EventBusError) -> NATSMessage {
        let connection = try await connection()
        let token = nextToken()
        let limit = timeout ?? self.timeout
        let reply = OneReply()
        connection.setHandler(token) { event in
            switch event {
            case .message(let message): reply.finish(.success(message))
            case .disconnected: reply.finish(.failure(EventBusError(.unavailable, "the connection to NATS closed before it replied on \(subject)")))
            }
        }
        defer { connection.setHandler(token, nil) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            reply.finish(.failure(EventBusError(.timedOut, "NATS did not reply on \(subject) within \(limit)")))
        }
        defer { timer.cancel() }
        do {
            try connection.send(NATSFrame.publish(subject, replyTo: connection.inboxPrefix + "." + token, headers: headers, payload: payload))
        } catch {
            reply.finish(.failure(error))
        }
        return try await reply.value()
    }

    func close() {
        let connection = state.withLock { state in
            state.closed = true
            return state.current
        }
        connection?.close()
    }
}

/// The client-to-server operations the bus sends.
enum NATSFrame {
    /// `PUB` without headers, `HPUB` with them.
    static func publish(_ subject: String, replyTo: String?, headers: [String: String], payload: [UInt8]) -> [UInt8] {
        let reply = replyTo.map { " " + $0 } ?? ""
        guard let block = NATSHeaders.encode(headers) else {
            return Array("PUB \(subject)\(reply) \(payload.count)\r\n".utf8) + payload + [13, 10]
        }
        return Array("HPUB \(subject)\(reply) \(block.count) \(block.count + payload.count)\r\n".utf8) + block + payload + [13, 10]
    }
}

/// The first reply to a request, delivered once to the one waiter.
final class OneReply: Sendable {
    private struct State {
        var result: Result<NATSMessage, EventBusError>?
        var waiter: CheckedContinuation<Result<NATSMessage, EventBusError>, Never>?
    }

    private let state = Mutex(State())

    func finish(_ result: Result<NATSMessage, EventBusError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<NATSMessage, EventBusError>, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func value() async throws(EventBusError) -> NATSMessage {
        let result = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<NATSMessage, EventBusError>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }
}
