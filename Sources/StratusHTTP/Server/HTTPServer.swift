public import StratusLog
public import StratusNet
import Synchronization

/// An HTTP/1.1 server on StratusNet event loops.
///
/// Each loop has its own listening socket on the same port (SO_REUSEPORT), so
/// the kernel spreads connections over the loops and a connection stays on the
/// loop that accepted it. The responder runs on a task bound to that loop.
///
/// Lifecycle, in the shape of swift-service-lifecycle's `Service`: `run()`
/// starts the server and returns when the task running it is cancelled, after
/// a graceful shutdown. `start()` and `shutdown(gracePeriod:)` give the same
/// control without structured concurrency.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let group: EventLoopGroup
    private let shared: ServerShared
    private let state = Mutex(LifecycleState())

    private struct LifecycleState {
        var loopStates: [ServerLoopState] = []
        var localAddress: SocketAddress?
        var started = false
        var stopped = false
    }

    /// - Parameters:
    ///   - group: the loops to serve on; by default the process-wide shared group.
    ///   - logger: where the server logs rejected requests, handler errors and
    ///     its start and stop. Request handlers get it in `RequestContext`.
    public init(
        configuration: HTTPServerConfiguration,
        responder: some HTTPResponder,
        group: EventLoopGroup = .shared,
        logger: Logger = Logger(label: "stratus.http.server")
    ) {
        self.configuration = configuration
        self.group = group
        shared = ServerShared(configuration: configuration, responder: responder, logger: logger)
    }

    /// The address the server listens on, once started. With port 0 this holds
    /// the port the kernel chose.
    public var localAddress: SocketAddress? {
        state.withLock { $0.localAddress }
    }

    /// The number of open client connections.
    public var connectionCount: Int {
        shared.openConnections.load(ordering: .relaxed)
    }

    /// Binds the listening sockets and starts accepting.
    ///
    /// Throws `SystemError` when the address cannot be bound (for example
    /// EADDRINUSE), and `AddressError` when the host is not a numeric address.
    public func start() async throws {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        precondition(!alreadyStarted, "HTTPServer.start() called twice")
        var address = try SocketAddress(host: configuration.host, port: configuration.port)
        var loopStates: [ServerLoopState] = []
        do {
            for loop in group.loops {
                let loopState = ServerLoopState(loop: loop, shared: shared)
                let bound = try await listen(on: address, loopState: loopState)
                loopStates.append(loopState)
                address = bound
            }
        } catch {
            for loopState in loopStates {
                await run(on: loopState.loop) { loopState.closeAll() }
            }
            throw error
        }
        state.withLock { state in
            state.loopStates = loopStates
            state.localAddress = address
        }
        shared.logger.info("server started", metadata: [
            "server.address": "\(address)",
            "event_loops": "\(group.loops.count)",
        ])
    }

    /// Opens the loop's listening socket and returns its bound address.
    private func listen(on address: SocketAddress, loopState: ServerLoopState) async throws -> SocketAddress {
        let backlog = configuration.backlog
        let logger = shared.logger
        return try await run(on: loopState.loop) {
            let socket = try Socket.listen(on: address, backlog: backlog, reusePort: true)
            let acceptor = Acceptor(
                socket: socket,
                loop: loopState.loop,
                onAccept: { loopState.accept($0) },
                onError: { error in logger.warning("accept failed", metadata: ["error": "\(error)"]) }
            )
            do {
                try acceptor.start()
            } catch {
                socket.close()
                throw error
            }
            loopState.acceptor = acceptor
            return try socket.localAddress() ?? address
        }
    }

    /// Runs the server until the calling task is cancelled, then shuts it down
    /// gracefully within `gracePeriod`.
    public func run(gracePeriod: Duration = .seconds(10)) async throws {
        if !state.withLock({ $0.started }) {
            try await start()
        }
        await withTaskCancellationHandler {
            await waitUntilStopped()
        } onCancel: {
            Task { await self.shutdown(gracePeriod: gracePeriod) }
        }
    }

    private let stoppedWaiters = Mutex<[CheckedContinuation<Void, Never>]?>([])

    private func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let alreadyStopped = stoppedWaiters.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyStopped {
                continuation.resume()
            }
        }
    }

    /// Whether `shutdown` has begun: from then on every response closes its connection.
    package var isShuttingDown: Bool {
        shared.isDraining
    }

    /// Stops accepting new connections without closing the listening
    /// sockets, so that new connections wait in the kernel's queue.
    package func pauseAccepting() async {
        let loopStates = state.withLock { $0.loopStates }
        for loopState in loopStates {
            await run(on: loopState.loop) { () -> Void in loopState.acceptor?.setPaused(true) }
        }
    }

    /// Stops accepting, lets requests in flight finish, closes idle
    /// connections, and closes whatever is still open after `gracePeriod`.
    /// Returns when every connection is closed. Calling it again waits for the
    /// same shutdown.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let loopStates = state.withLock { state -> [ServerLoopState]? in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.loopStates
        }
        guard let loopStates else {
            await waitUntilStopped()
            return
        }
        shared.beginDraining()
        for loopState in loopStates {
            await run(on: loopState.loop) { loopState.beginDraining() }
        }
        let shared = self.shared
        let forceClose = Task {
            try await Task.sleep(for: gracePeriod)
            shared.logger.warning("shutdown grace period ended; closing connections", metadata: [
                "open_connections": "\(shared.openConnections.load(ordering: .relaxed))",
            ])
            for loopState in loopStates {
                loopState.loop.execute { loopState.closeAll() }
            }
        }
        await shared.waitForNoConnections()
        forceClose.cancel()
        shared.logger.info("server stopped")
        let waiters = stoppedWaiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    private func run<T: Sendable>(on loop: EventLoop, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    private func run(on loop: EventLoop, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            loop.execute {
                body()
                continuation.resume()
            }
        }
    }
}
