import StratusLog
import StratusNet

/// The state one server keeps on one event loop: its acceptor, its connections,
/// the `Date` cache and the timer that enforces connection timeouts.
///
/// Thread safety: loop thread only.
final class ServerLoopState: @unchecked Sendable {
    let loop: EventLoop
    let shared: ServerShared
    var acceptor: Acceptor?
    var connections: [ObjectIdentifier: HTTPServerConnection] = [:]
    var dateCache = DateCache()
    private var sweepTimer: UInt64?

    init(loop: EventLoop, shared: ServerShared) {
        self.loop = loop
        self.shared = shared
    }

    /// How often deadlines are checked: a quarter of the shortest timeout,
    /// between 10 ms and 1 s. Deadlines are thus enforced late by at most that
    /// much, which costs one timer per loop instead of one per connection.
    var sweepInterval: UInt64 {
        let configuration = shared.configuration
        let shortest = [configuration.headerTimeout, configuration.bodyTimeout, configuration.idleTimeout, configuration.writeTimeout]
            .map(\.nanoseconds).min() ?? 1_000_000_000
        return min(max(shortest / 4, 10_000_000), 1_000_000_000)
    }

    func accept(_ socket: Socket) {
        guard shared.admitConnection() else {
            socket.close()
            return
        }
        let tcp = TCPConnection(socket: socket, loop: loop, highWatermark: shared.configuration.writeBufferLimit, lowWatermark: shared.configuration.writeBufferLimit / 4)
        let connection = HTTPServerConnection(tcp: tcp, loopState: self)
        do {
            try tcp.start(handler: connection)
        } catch {
            shared.logger.warning("connection registration failed", metadata: ["error": "\(error)"])
            socket.close()
            shared.connectionClosed()
            return
        }
        connections[ObjectIdentifier(connection)] = connection
        if shared.isDraining {
            connection.beginDraining()
        }
        scheduleSweep()
    }

    func remove(_ connection: HTTPServerConnection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            shared.connectionClosed()
        }
    }

    private func scheduleSweep() {
        guard sweepTimer == nil else { return }
        sweepTimer = loop.scheduleTimer(at: loop.now &+ sweepInterval) { [self] in
            sweepTimer = nil
            let now = MonotonicClock.now()
            for connection in Array(connections.values) {
                connection.enforceDeadline(now: now)
            }
            if !connections.isEmpty {
                scheduleSweep()
            }
        }
    }

    /// Stops accepting and marks every connection to close once its current
    /// response is written. Connections already queued in the kernel are
    /// accepted first, so that their requests get responses instead of resets.
    func beginDraining() {
        acceptor?.acceptQueued()
        acceptor?.close()
        acceptor = nil
        for connection in Array(connections.values) {
            connection.beginDraining()
        }
    }

    /// Closes every connection now, dropping requests in flight.
    func closeAll() {
        acceptor?.close()
        acceptor = nil
        for connection in Array(connections.values) {
            connection.tcp.close()
        }
    }
}
