import StratusNet

/// The result of `HTTPClient.upgrade(_:timeout:)`.
public enum HTTPUpgradeResult: Sendable {
    /// The server switched protocols: the 101 head and the raw connection.
    case switched(HTTPResponseHead, UpgradedConnection)
    /// The server responded without switching; the connection is closed.
    case response(HTTPClientResponse)
}

extension HTTPClient {
    /// Sends a request for a protocol switch (`Upgrade`, such as a
    /// WebSocket handshake) on a new connection outside the pool.
    ///
    /// The request's `Connection` and `Upgrade` fields are sent as given,
    /// and its body must be empty. A `101` response returns the raw
    /// connection, which the caller must close. Any other response returns
    /// with its body read, up to `maxResponseBodySize` bytes, and the
    /// connection closed. `timeout` bounds the time to the response head
    /// (the configuration's `requestTimeout` when nil).
    ///
    /// - Throws: `HTTPClientError`.
    public func upgrade(_ request: HTTPClientRequest, timeout: Duration? = nil, maxResponseBodySize: Int = 1 << 20) async throws -> HTTPUpgradeResult {
        let target = try RequestTarget(url: request.url)
        var request = request
        request.body = .empty
        let head = try ClientConnection.serializeHead(request, target: target)
        let connection = try await connectRaw(host: target.host, port: target.port)
        let limit = timeout ?? configuration.requestTimeout
        let method = request.method
        do {
            return try await withDeadline(limit, closing: connection) {
                try await self.exchangeUpgrade(head: head, method: method, on: connection, maxResponseBodySize: maxResponseBodySize)
            }
        } catch {
            await connection.close()
            throw error
        }
    }

    private func exchangeUpgrade(head: [UInt8], method: HTTPMethod, on connection: UpgradedConnection, maxResponseBodySize: Int) async throws -> HTTPUpgradeResult {
        try await connection.write(head)
        var parser = HTTPResponseParser(limits: configuration.limits)
        parser.expectResponse(to: method)
        var responseHead: HTTPResponseHead?
        var body: [UInt8] = []
        while true {
            let event: HTTPResponseParser.Event?
            do {
                event = try parser.next()
            } catch {
                throw HTTPClientError(.invalidResponse, "invalid response to an upgrade request: \(error.reason)")
            }
            switch event {
            case .head(let head, _) where head.status == .switchingProtocols:
                connection.prepend(parser.takeBufferedBytes())
                return .switched(head, connection)
            case .head(let head, _):
                responseHead = head
            case .body(let chunk):
                guard body.count + chunk.count <= maxResponseBodySize else {
                    throw HTTPClientError(.invalidResponse, "the response to an upgrade request is larger than \(maxResponseBodySize) bytes")
                }
                body += chunk
            case .end:
                await connection.close()
                let head = responseHead ?? HTTPResponseHead(status: .badGateway)
                return .response(HTTPClientResponse(status: head.status, version: head.version, headers: head.headers, body: IncomingBody(bytes: body)))
            case nil:
                guard let bytes = try await connection.read() else {
                    if let end = parser.finishAtEndOfInput(), case .end = end, let head = responseHead {
                        return .response(HTTPClientResponse(status: head.status, version: head.version, headers: head.headers, body: IncomingBody(bytes: body)))
                    }
                    throw HTTPClientError(.connectionClosed, "the server closed the connection before the response to an upgrade request was complete")
                }
                parser.append(bytes)
            }
        }
    }

    /// Opens a TCP connection outside the pool, as an `UpgradedConnection`.
    private func connectRaw(host: String, port: Int) async throws -> UpgradedConnection {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: host, port: port)
        } catch {
            throw HTTPClientError(.invalidRequest, "\(error)")
        }
        let loop = EventLoop.current ?? group.next()
        let connectTimeout = configuration.connectTimeout
        let highWatermark = 1 << 20
        return try await withCheckedThrowingContinuation { continuation in
            loop.execute {
                Connector.connect(to: address, on: loop, timeout: connectTimeout) { result in
                    switch result {
                    case .success(let socket):
                        let tcp = TCPConnection(socket: socket, loop: loop, highWatermark: highWatermark, lowWatermark: highWatermark / 4)
                        let connection = UpgradedConnection(tcp: tcp, buffered: [])
                        do {
                            try tcp.start(handler: connection.eventHandler)
                            continuation.resume(returning: connection)
                        } catch {
                            socket.close()
                            continuation.resume(throwing: HTTPClientError(.connectFailed, "cannot register the connection to \(host):\(port): \(error)"))
                        }
                    case .failure(let error):
                        let code: HTTPClientError.Code = error.errno == 110 ? .connectTimeout : .connectFailed
                        continuation.resume(throwing: HTTPClientError(code, "cannot connect to \(host):\(port): \(error)"))
                    }
                }
            }
        }
    }

    /// Runs `body`, closing `connection` when `limit` passes first, which
    /// makes `body` fail with a timeout.
    private func withDeadline<T: Sendable>(_ limit: Duration, closing connection: UpgradedConnection, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timer = Task {
            try await Task.sleep(for: limit)
            connection.expire()
        }
        defer { timer.cancel() }
        do {
            return try await body()
        } catch where connection.expired {
            throw HTTPClientError(.timedOut, "no response to an upgrade request within \(limit)")
        }
    }
}
