import StratusNet
import Synchronization

/// Keep-alive connections per endpoint, with a limit on how many are open.
///
/// Thread safety: the pool's state is guarded by a mutex; the connections
/// themselves belong to their loops.
final class ConnectionPool: Sendable {
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var host: String
        var port: Int
        var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    private struct Endpoint {
        var idle: [ClientConnection] = []
        var open = 0
        var waiters: [Waiter] = []
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<ClientConnection?, Never>
    }

    private struct State {
        var endpoints: [Key: Endpoint] = [:]
        var nextWaiterID: UInt64 = 0
        var shutDown = false
    }

    private let state = Mutex(State())
    private let configuration: HTTPClientConfiguration
    private let group: EventLoopGroup

    init(configuration: HTTPClientConfiguration, group: EventLoopGroup) {
        self.configuration = configuration
        self.group = group
    }

    private enum Lease {
        case idle(ClientConnection)
        case connect
        case wait
        case shutDown
    }

    /// Returns an idle connection (reused: true) or a new one. Waits for a
    /// release while the endpoint is at its connection limit, at most until
    /// `waitTimeout`.
    func acquire(_ key: Key, waitTimeout: Duration) async throws -> (ClientConnection, reused: Bool) {
        let current = EventLoop.current
        let limit = configuration.maxConnectionsPerEndpoint
        let lease = state.withLock { state -> Lease in
            guard !state.shutDown else { return .shutDown }
            // In place: a copy of the entry would copy its idle list too.
            return Self.lease(from: &state.endpoints[key, default: Endpoint()], on: current, limit: limit)
        }
        switch lease {
        case .idle(let connection):
            return (connection, true)
        case .connect:
            return (try await connect(key, on: current ?? group.next()), false)
        case .shutDown:
            throw HTTPClientError(.shutdown, "the client was shut down")
        case .wait:
            guard let connection = await waitForRelease(key, timeout: waitTimeout) else {
                throw HTTPClientError(.poolExhausted, "all \(configuration.maxConnectionsPerEndpoint) connections to \(key) stayed busy for \(waitTimeout)")
            }
            return (connection, true)
        }
    }

    private static func lease(from endpoint: inout Endpoint, on current: EventLoop?, limit: Int) -> Lease {
        // Prefer a connection on the caller's own loop: no thread hop.
        if let index = endpoint.idle.lastIndex(where: { $0.loop === current }) ?? endpoint.idle.indices.last {
            return .idle(endpoint.idle.remove(at: index))
        }
        if endpoint.open < limit {
            endpoint.open += 1
            return .connect
        }
        return .wait
    }

    private func connect(_ key: Key, on loop: EventLoop) async throws -> ClientConnection {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: key.host, port: key.port)
        } catch {
            forget(key)
            throw HTTPClientError(.invalidRequest, "\(error)")
        }
        let configuration = self.configuration
        do {
            return try await withCheckedThrowingContinuation { continuation in
                loop.execute { [self] in
                    Connector.connect(to: address, on: loop, timeout: configuration.connectTimeout) { result in
                        continuation.resume(with: result.flatMap { socket in
                            Result { try self.start(socket, key: key, loop: loop) }.mapError { $0 as! SystemError }
                        }.mapError { $0 as any Error })
                    }
                }
            }
        } catch let error as SystemError {
            forget(key)
            let code: HTTPClientError.Code = error.errno == 110 ? .connectTimeout : .connectFailed
            throw HTTPClientError(code, "cannot connect to \(key): \(error)")
        }
    }

    private func start(_ socket: Socket, key: Key, loop: EventLoop) throws(SystemError) -> ClientConnection {
        let tcp = TCPConnection(socket: socket, loop: loop)
        let connection = ClientConnection(tcp: tcp, key: key, pool: self, limits: configuration.limits, readTimeout: configuration.readTimeout)
        do {
            try tcp.start(handler: connection)
        } catch {
            socket.close()
            throw error
        }
        return connection
    }

    private func waitForRelease(_ key: Key, timeout: Duration) async -> ClientConnection? {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.cancelWaiter(key, id: id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { state in
                state.endpoints[key, default: Endpoint()].waiters.append(Waiter(id: id, continuation: continuation))
            }
        }
    }

    private func cancelWaiter(_ key: Key, id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.endpoints[key]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.endpoints[key]?.waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: nil)
    }

    /// Takes back a connection whose exchange ended cleanly; called on its loop.
    func release(_ connection: ClientConnection) {
        let waiter = state.withLock { state -> Waiter? in
            guard !state.shutDown else { return nil }
            if let waiter = state.endpoints[connection.key]?.waiters.first {
                state.endpoints[connection.key]?.waiters.removeFirst()
                return waiter
            }
            state.endpoints[connection.key]?.idle.append(connection)
            return nil
        }
        if let waiter {
            waiter.continuation.resume(returning: connection)
        } else if state.withLock({ $0.shutDown }) {
            connection.tcp.close()
        } else {
            connection.armIdleTimer(configuration.idleTimeout)
        }
    }

    /// Forgets a closed connection; called on its loop. A waiter, if any, gets
    /// to open a new connection in its place.
    func remove(_ connection: ClientConnection) {
        let waiter = state.withLock { state -> Waiter? in
            guard var endpoint = state.endpoints[connection.key] else { return nil }
            defer { state.endpoints[connection.key] = endpoint }
            endpoint.idle.removeAll { $0 === connection }
            endpoint.open -= 1
            guard !endpoint.waiters.isEmpty else { return nil }
            endpoint.open += 1
            return endpoint.waiters.removeFirst()
        }
        guard let waiter else { return }
        let key = connection.key
        let loop = connection.loop
        Task {
            let replacement = try? await self.connect(key, on: loop)
            waiter.continuation.resume(returning: replacement)
        }
    }

    private func forget(_ key: Key) {
        state.withLock { state in
            state.endpoints[key]?.open -= 1
        }
    }

    /// Closes idle connections and fails waiters; busy connections finish
    /// their exchange and then close.
    func shutdown() {
        let (idle, waiters) = state.withLock { state in
            state.shutDown = true
            let idle = state.endpoints.values.flatMap(\.idle)
            let waiters = state.endpoints.values.flatMap(\.waiters)
            for key in state.endpoints.keys {
                state.endpoints[key]?.idle = []
                state.endpoints[key]?.waiters = []
            }
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(returning: nil)
        }
        for connection in idle {
            connection.loop.execute { connection.tcp.close() }
        }
    }

    /// Open connections to `key`, idle and busy.
    func openCount(_ key: Key) -> Int {
        state.withLock { $0.endpoints[key]?.open ?? 0 }
    }
}
