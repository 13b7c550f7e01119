import Foundation
import Glibc
@testable import StratusNet
import Synchronization
import Testing

// MARK: Waiting for events

/// A thread-safe list of events that a test can wait on without sleeping.
///
/// `wait(timeout:until:)` returns as soon as `condition` holds for the events
/// recorded so far, or returns false when the timeout passes first.
final class EventLog<Event: Sendable>: Sendable {
    private struct Waiter {
        let condition: @Sendable ([Event]) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var events: [Event] = []
        var waiters: [Int: Waiter] = [:]
        /// Waiters whose timeout passed before they were registered.
        var expired: Set<Int> = []
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    var events: [Event] {
        state.withLock { $0.events }
    }

    func append(_ event: Event) {
        let satisfied = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.events.append(event)
            var satisfied: [CheckedContinuation<Bool, Never>] = []
            for (id, waiter) in state.waiters where waiter.condition(state.events) {
                satisfied.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return satisfied
        }
        for continuation in satisfied {
            continuation.resume(returning: true)
        }
    }

    /// Waits until `condition` holds; returns false if `timeout` passes first.
    func wait(timeout: Duration = .seconds(5), until condition: @escaping @Sendable ([Event]) -> Bool) async -> Bool {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timeoutTask = Task { [self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            expire(id)
        }
        defer { timeoutTask.cancel() }

        return await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> Bool? in
                if condition(state.events) { return true }
                if state.expired.contains(id) { return false }
                state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                return nil
            }
            if let immediate {
                continuation.resume(returning: immediate)
            }
        }
    }

    private func expire(_ id: Int) {
        let waiter = state.withLock { state in
            state.expired.insert(id)
            return state.waiters.removeValue(forKey: id)
        }
        waiter?.continuation.resume(returning: false)
    }
}

// MARK: Running code on the loop thread

extension EventLoop {
    /// Runs `body` on the loop thread and returns its result to the caller.
    ///
    /// Awaiting an empty `submit {}` also serves as a sync point: every event
    /// that was ready before the call has been dispatched once it returns.
    func submit<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
            execute {
                do throws(Failure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// Starts a one-loop group, runs `body` with its loop, then stops the group
/// (also when `body` throws).
func withEventLoop(_ body: (EventLoop) async throws -> Void) async throws {
    let group = try EventLoopGroup(loopCount: 1)
    defer { group.shutdown() }
    try await body(group.loops[0])
}

/// Runs `body` on a new thread, so blocking socket calls do not hold one of
/// the few threads of the concurrency pool.
func onNewThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

// MARK: Blocking socket helpers for the peer side

/// A peer-side socket operation that did not finish within its time limit.
struct PeerTimeout: Error, CustomStringConvertible {
    var operation: String
    var description: String { "timed out waiting to \(operation)" }
}

/// A peer-side socket operation that failed, such as an accept with no connection.
struct PeerFailure: Error, CustomStringConvertible {
    var description: String
}

extension Socket {
    /// Waits with poll(2) until one of `events` is reported or `timeout` passes.
    /// Returns the reported events.
    @discardableResult
    func poll(for events: Int16, timeout: Duration = .seconds(5), operation: String) throws -> Int16 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw PeerTimeout(operation: operation) }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let count = Glibc.poll(&entry, 1, milliseconds)
            if count > 0 {
                return entry.revents
            }
            if count < 0 && errno != EINTR {
                throw SystemError(call: "poll(fd \(descriptor))", errno: errno)
            }
        }
    }

    /// Reads exactly `count` bytes, failing on EOF, error or timeout.
    func readBytes(count: Int, timeout: Duration = .seconds(5)) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < count {
            let requested = min(chunk.count, count - bytes.count)
            let result = try chunk.withUnsafeMutableBytes { buffer in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<requested]))
            }
            switch result {
            case .processed(0):
                throw PeerFailure(description: "EOF after \(bytes.count) of \(count) bytes")
            case .processed(let read):
                bytes.append(contentsOf: chunk[0..<read])
            case .wouldBlock:
                try poll(for: Int16(POLLIN), timeout: ContinuousClock.now.duration(to: deadline), operation: "read \(count) bytes")
            }
        }
        return bytes
    }

    /// Reads until EOF, failing on error or timeout.
    func readToEOF(timeout: Duration = .seconds(5)) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let result = try chunk.withUnsafeMutableBytes { buffer in
                try read(into: buffer)
            }
            switch result {
            case .processed(0):
                return bytes
            case .processed(let read):
                bytes.append(contentsOf: chunk[0..<read])
            case .wouldBlock:
                try poll(for: Int16(POLLIN), timeout: ContinuousClock.now.duration(to: deadline), operation: "read to EOF")
            }
        }
    }

    /// Writes all of `bytes`, waiting for buffer space as needed.
    func writeAll(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { buffer in
                try write(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            }
            switch result {
            case .processed(let written):
                offset += written
            case .wouldBlock:
                try poll(for: Int16(POLLOUT), timeout: ContinuousClock.now.duration(to: deadline), operation: "write \(bytes.count) bytes")
            }
        }
    }

    /// Returns the number of received bytes not yet read (FIONREAD).
    func unreadByteCount() -> Int {
        var count: Int32 = 0
        _ = ioctl(descriptor, UInt(FIONREAD), &count)
        return Int(count)
    }

    /// Sets SO_LINGER to zero, so closing sends a reset instead of a FIN.
    func setResetOnClose() throws {
        var value = linger(l_onoff: 1, l_linger: 0)
        guard setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size)) == 0 else {
            throw SystemError(call: "setsockopt(SO_LINGER)", errno: errno)
        }
    }
}

/// Opens a listening socket on 127.0.0.1 with a port the kernel picks.
func makeLoopbackListener(backlog: Int32 = 16) throws -> (listener: Socket, address: SocketAddress) {
    let listener = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: backlog)
    guard let address = try listener.localAddress() else {
        listener.close()
        throw PeerFailure(description: "the listener has no local address")
    }
    return (listener, address)
}

/// Connects a client to `address` and waits until the handshake finishes.
func connectBlocking(to address: SocketAddress) throws -> Socket {
    let (client, connected) = try Socket.connect(to: address)
    if !connected {
        do {
            try client.poll(for: Int16(POLLOUT), operation: "connect to \(address)")
            if let error = client.pendingError() {
                throw error
            }
        } catch {
            client.close()
            throw error
        }
    }
    return client
}

/// Accepts one connection, waiting up to five seconds for it.
func acceptBlocking(from listener: Socket) throws -> Socket {
    try listener.poll(for: Int16(POLLIN), operation: "accept")
    guard case .processed(let accepted) = try listener.accept() else {
        throw PeerFailure(description: "accept returned EAGAIN after poll reported a connection")
    }
    return accepted
}

/// Returns a connected loopback pair: `client` comes from connect and `server` from accept.
///
/// `serverReceiveBuffer` sets SO_RCVBUF on the listener before the connection
/// exists, so the accepted socket inherits it and advertises a small window.
func makeSocketPair(serverReceiveBuffer: Int32? = nil) throws -> (client: Socket, server: Socket) {
    let (listener, address) = try makeLoopbackListener()
    defer { listener.close() }
    if let size = serverReceiveBuffer {
        try listener.setOption(SOL_SOCKET, SO_RCVBUF, size)
    }
    let client = try connectBlocking(to: address)
    do {
        return (client, try acceptBlocking(from: listener))
    } catch {
        client.close()
        throw error
    }
}

/// `count` bytes of a pattern that repeats only every 251 bytes, so a lost,
/// doubled or reordered chunk shows up as a content mismatch.
func patternBytes(count: Int, seed: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 + seed) % 251) }
}

/// Describes the first offset where `actual` and `expected` differ, or
/// returns nil when they are equal. Keeps failure output short for large buffers.
func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    if let offset = (0..<min(actual.count, expected.count)).first(where: { actual[$0] != expected[$0] }) {
        return "byte \(offset) is \(actual[offset]), expected \(expected[offset])"
    }
    if actual.count != expected.count {
        return "\(actual.count) bytes, expected \(expected.count)"
    }
    return nil
}

// MARK: A recording connection handler

enum ConnectionEvent: Sendable, Equatable {
    case received([UInt8])
    case receivedEOF
    case writable
    case closed(error: String?)
}

/// Records every `ConnectionHandler` call into an `EventLog`.
final class RecordingHandler: ConnectionHandler, Sendable {
    let log = EventLog<ConnectionEvent>()

    func connectionReceived(_ bytes: UnsafeRawBufferPointer) {
        log.append(.received(Array(bytes)))
    }

    func connectionReceivedEOF() {
        log.append(.receivedEOF)
    }

    func connectionWritable() {
        log.append(.writable)
    }

    func connectionClosed(error: (any Error)?) {
        log.append(.closed(error: error.map { "\($0)" }))
    }

    /// The concatenation of all received bytes so far.
    var receivedBytes: [UInt8] {
        Self.receivedBytes(in: log.events)
    }

    static func receivedBytes(in events: [ConnectionEvent]) -> [UInt8] {
        events.flatMap { event -> [UInt8] in
            if case .received(let bytes) = event { return bytes }
            return []
        }
    }

    static func closedCount(in events: [ConnectionEvent]) -> Int {
        events.count { event in
            if case .closed = event { return true }
            return false
        }
    }
}

/// A `TCPConnection` on a fresh loop with the raw socket of its peer.
struct ConnectionFixture: Sendable {
    let loop: EventLoop
    let connection: TCPConnection
    let handler: RecordingHandler
    /// The other end, read and written directly by the test.
    let peer: Socket
    fileprivate let peerClosed: PeerCloseFlag

    /// Closes the peer socket. `withConnection` then leaves it alone, so its
    /// descriptor number, which another test may reuse at once, is not closed twice.
    func closePeer() {
        peerClosed.closeOnce(peer)
    }
}

fileprivate final class PeerCloseFlag: Sendable {
    private let closed = Atomic<Bool>(false)

    func closeOnce(_ socket: Socket) {
        if !closed.exchange(true, ordering: .relaxed) {
            socket.close()
        }
    }
}

/// Connects a loopback pair, starts a `TCPConnection` on the client end, runs
/// `body`, then closes both ends and stops the loop (also when `body` throws).
func withConnection(
    highWatermark: Int = 1 << 20,
    lowWatermark: Int = 256 << 10,
    connectionSendBuffer: Int32? = nil,
    peerReceiveBuffer: Int32? = nil,
    _ body: (ConnectionFixture) async throws -> Void
) async throws {
    let (client, server) = try makeSocketPair(serverReceiveBuffer: peerReceiveBuffer)
    let peerClosed = PeerCloseFlag()
    defer { peerClosed.closeOnce(server) }
    if let size = connectionSendBuffer {
        try client.setOption(SOL_SOCKET, SO_SNDBUF, size)
    }
    let handler = RecordingHandler()
    try await withEventLoop { loop in
        let connection = try await loop.submit { () throws(SystemError) -> TCPConnection in
            let connection = TCPConnection(socket: client, loop: loop, highWatermark: highWatermark, lowWatermark: lowWatermark)
            do throws(SystemError) {
                try connection.start(handler: handler)
            } catch {
                client.close()
                throw error
            }
            return connection
        }
        let fixture = ConnectionFixture(loop: loop, connection: connection, handler: handler, peer: server, peerClosed: peerClosed)
        var failure: (any Error)?
        do {
            try await body(fixture)
        } catch {
            failure = error
        }
        await loop.submit { connection.close() }
        if let failure {
            throw failure
        }
    }
    withExtendedLifetime(handler) {}
}
