import Foundation
import StratusNet
import Synchronization

/// One TCP connection to a NATS server speaking the client protocol, with
/// one wildcard subscription on a private inbox prefix through which every
/// reply and pulled message arrives.
///
/// Thread safety: the socket, parser and handshake state are used on
/// `loop` only. The inbox handlers are behind a `Mutex`, so `send` and
/// `setHandler` may be called from any thread.
final class NATSConnection: ConnectionHandler, @unchecked Sendable {
    typealias Handler = @Sendable (NATSInboxEvent) -> Void

    // MARK: Immutable

    let loop: EventLoop
    let endpoint: NATSEndpoint
    /// `_INBOX.<random>`; replies go to `<inboxPrefix>.<token>`.
    let inboxPrefix = "_INBOX." + UUID().uuidString.replacingOccurrences(of: "-", with: "")

    // MARK: Loop thread only

    private var connection: TCPConnection?
    private var parser = NATSParser()
    private var handshake: CheckedContinuation<Void, any Error>?

    // MARK: Guarded

    private struct Shared {
        /// Inbox token to handler, for replies to `<inboxPrefix>.<token>`.
        var handlers: [String: Handler] = [:]
        /// Subscription id to handler, for subscriptions of their own.
        var subscriptions: [String: Handler] = [:]
        /// The last subscription id used; 1 is the inbox's.
        var lastSID = 1
        var closed = false
    }

    private let shared = Mutex(Shared())

    private init(loop: EventLoop, endpoint: NATSEndpoint) {
        self.loop = loop
        self.endpoint = endpoint
    }

    /// Connects, sends CONNECT and PING, and returns after the server's PONG.
    static func connect(to endpoint: NATSEndpoint, timeout: Duration) async throws(EventBusError) -> NATSConnection {
        let loop = EventLoopGroup.shared.next()
        let connection = NATSConnection(loop: loop, endpoint: endpoint)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                loop.execute {
                    connection.open(timeout: timeout, continuation)
                }
            }
        } catch let error as EventBusError {
            throw error
        } catch {
            throw EventBusError(.unavailable, "cannot connect to NATS at \(endpoint): \(error); check that nats-server runs there with -js")
        }
        return connection
    }

    private func open(timeout: Duration, _ continuation: CheckedContinuation<Void, any Error>) {
        handshake = continuation
        let address: SocketAddress
        do {
            address = try SocketAddress(host: endpoint.host, port: endpoint.port)
        } catch {
            finishHandshake(error)
            return
        }
        Connector.connect(to: address, on: loop, timeout: timeout) { [self] result in
            switch result {
            case .failure(let error):
                finishHandshake(error)
            case .success(let socket):
                let tcp = TCPConnection(socket: socket, loop: loop)
                do {
                    try tcp.start(handler: self)
                } catch {
                    socket.close()
                    finishHandshake(error)
                    return
                }
                connection = tcp
                tcp.write(Array(Self.connectCommand(inboxPrefix: inboxPrefix).utf8))
                tcp.flush()
            }
        }
        loop.scheduleTimer(after: timeout) { [weak self] in
            self?.finishHandshake(EventBusError(.timedOut, "NATS at \(self?.endpoint.description ?? "") did not complete the handshake within \(timeout)"))
        }
    }

    /// CONNECT with headers and no-responders on, then the inbox
    /// subscription and a PING whose PONG ends the handshake.
    private static func connectCommand(inboxPrefix: String) -> String {
        let options = #"{"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1,"lang":"swift","version":"stratus","name":"stratus-events"}"#
        return "CONNECT \(options)\r\nSUB \(inboxPrefix).* 1\r\nPING\r\n"
    }

    private func finishHandshake(_ error: (any Error)?) {
        guard let handshake else { return }
        self.handshake = nil
        if let error {
            connection?.close()
            handshake.resume(throwing: error)
        } else {
            handshake.resume()
        }
    }

    var isClosed: Bool { shared.withLock { $0.closed } }

    /// Sends raw protocol bytes from any thread.
    func send(_ bytes: [UInt8]) throws(EventBusError) {
        guard !isClosed else {
            throw EventBusError(.unavailable, "the connection to NATS at \(endpoint) is closed")
        }
        loop.execute { [self] in
            connection?.write(bytes)
            connection?.flush()
        }
    }

    /// Routes messages for `<inboxPrefix>.<token>` to `handler`; nil removes it.
    func setHandler(_ token: String, _ handler: Handler?) {
        shared.withLock { $0.handlers[token] = handler }
    }

    /// Subscribes to a new subject of this connection and routes what
    /// arrives on it to `handler`; returns the subject and subscription id.
    ///
    /// JetStream delivers a pulled message under its original subject, with
    /// the id of the subscription that matched the pull request's reply
    /// subject, so the pulls of each consumer need their own subscription
    /// to tell them apart.
    func subscribe(_ handler: @escaping Handler) throws(EventBusError) -> (subject: String, sid: String) {
        let sid = shared.withLock { shared in
            shared.lastSID += 1
            shared.subscriptions["\(shared.lastSID)"] = handler
            return "\(shared.lastSID)"
        }
        let subject = "_PULL" + inboxPrefix.dropFirst("_INBOX".count) + "." + sid
        try send(Array("SUB \(subject) \(sid)\r\n".utf8))
        return (subject, sid)
    }

    func unsubscribe(_ sid: String) {
        guard shared.withLock({ $0.subscriptions.removeValue(forKey: sid) }) != nil else { return }
        try? send(Array("UNSUB \(sid)\r\n".utf8))
    }

    func close() {
        loop.execute { [self] in
            connection?.close()
        }
    }

    // MARK: ConnectionHandler

    func connectionReceived(_ bytes: UnsafeRawBufferPointer) {
        let operations: [NATSServerOperation]
        do {
            operations = try parser.feed(bytes)
        } catch {
            connection?.close(error: error)
            return
        }
        operations.forEach(handle)
    }

    private func handle(_ operation: NATSServerOperation) {
        switch operation {
        case .ping:
            connection?.write(Array("PONG\r\n".utf8))
            connection?.flush()
        case .pong:
            finishHandshake(nil)
        case .error(let text):
            finishHandshake(EventBusError(.unavailable, "NATS at \(endpoint) rejected the connection: \(text)"))
        case .message(let message) where message.sid != "1":
            let handler = shared.withLock { $0.subscriptions[message.sid] }
            handler?(.message(message))
        case .message(let message):
            let token = message.subject.split(separator: ".").last.map(String.init) ?? ""
            let handler = shared.withLock { $0.handlers[token] }
            handler?(.message(message))
        case .info, .ok:
            break
        }
    }

    func connectionReceivedEOF() {
        connection?.close()
    }

    func connectionWritable() {}

    func connectionClosed(error: (any Error)?) {
        finishHandshake(error ?? EventBusError(.unavailable, "NATS at \(endpoint) closed the connection"))
        let handlers = shared.withLock { shared in
            shared.closed = true
            defer {
                shared.handlers = [:]
                shared.subscriptions = [:]
            }
            return Array(shared.handlers.values) + Array(shared.subscriptions.values)
        }
        handlers.forEach { $0(.disconnected) }
    }
}

/// An event at an inbox token or subscription.
enum NATSInboxEvent: Sendable {
    case message(NATSMessage)
    /// The connection closed; nothing more arrives for this token.
    case disconnected
}
