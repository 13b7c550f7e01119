/// Waits on the loop for a non-blocking connect to finish.
///
/// Thread safety: loop thread only.
package final class Connector: Selectable, @unchecked Sendable {
    private let socket: Socket
    private let loop: EventLoop
    private let address: SocketAddress
    private var completion: ((Result<Socket, SystemError>) -> Void)?
    private var timer: UInt64?

    private init(socket: Socket, loop: EventLoop, address: SocketAddress, completion: @escaping (Result<Socket, SystemError>) -> Void) {
        self.socket = socket
        self.loop = loop
        self.address = address
        self.completion = completion
    }

    /// Connects to `address` and calls `completion` once on the loop thread
    /// with the connected socket, or with the error. A connect that takes
    /// longer than `timeout` fails with ETIMEDOUT.
    package static func connect(
        to address: SocketAddress,
        on loop: EventLoop,
        timeout: Duration,
        completion: @escaping (Result<Socket, SystemError>) -> Void
    ) {
        let socket: Socket
        let connected: Bool
        do {
            (socket, connected) = try Socket.connect(to: address)
        } catch {
            completion(.failure(error))
            return
        }
        if connected {
            completion(.success(socket))
            return
        }
        let connector = Connector(socket: socket, loop: loop, address: address, completion: completion)
        do {
            try loop.register(socket.descriptor, interest: .writable, handler: connector)
        } catch {
            socket.close()
            completion(.failure(error))
            return
        }
        connector.timer = loop.scheduleTimer(after: timeout) { [weak connector] in
            connector?.finish(.failure(SystemError(call: "connect(\(address))", errno: 110)))  // ETIMEDOUT
        }
    }

    package func handleEvents(_ events: EventMask) {
        if let error = socket.pendingError() {
            finish(.failure(SystemError(call: "connect(\(address))", errno: error.errno)))
        } else {
            finish(.success(socket))
        }
    }

    private func finish(_ result: Result<Socket, SystemError>) {
        guard let completion else { return }
        self.completion = nil
        if let timer {
            loop.cancelTimer(timer)
        }
        loop.deregister(socket.descriptor)
        if case .failure = result {
            socket.close()
        }
        completion(result)
    }
}
