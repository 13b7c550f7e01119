public import StratusNet

/// Settings of an `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    /// Maximum time to open a connection. Default 5 s.
    public var connectTimeout: Duration = .seconds(5)
    /// Maximum time from the request's last byte to its response head. While
    /// a streamed body is sent, each write starts the time again. Default
    /// 30 s; a request can set its own.
    public var requestTimeout: Duration = .seconds(30)
    /// Maximum pause while receiving a response body. Default 30 s.
    public var readTimeout: Duration = .seconds(30)
    /// How long an unused keep-alive connection stays in the pool. Default 60 s;
    /// keep it below the servers' idle timeout.
    public var idleTimeout: Duration = .seconds(60)
    /// Most open connections per endpoint; further requests wait. Default 64.
    public var maxConnectionsPerEndpoint = 64
    /// Maximum wait for a connection when the endpoint is at its limit. Default 10 s.
    public var poolWaitTimeout: Duration = .seconds(10)
    /// Parser limits for responses.
    public var limits = HTTPLimits()

    public init() {}
}

/// An HTTP/1.1 client with a keep-alive connection pool per endpoint.
///
/// Requests run on the loop of the connection they use. A request that fails
/// on a reused connection the peer had closed is retried when that is safe,
/// on the next idle connection or a new one. It is safe when no byte of the
/// request was written, or when the method is idempotent and no byte of a
/// response arrived. A server that closes its idle connections at once, as
/// one that shuts down does, leaves several stale ones: each fails at once
/// and leaves the pool, and the request goes on to the next. A failure on a
/// new connection is not retried.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let pool: ConnectionPool
    private let middleware: [any HTTPClientMiddleware]
    let group: EventLoopGroup

    /// - Parameter middleware: wraps every request, the first being the outermost.
    public init(
        configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
        group: EventLoopGroup = .shared,
        middleware: [any HTTPClientMiddleware] = []
    ) {
        self.configuration = configuration
        self.middleware = middleware
        self.group = group
        pool = ConnectionPool(configuration: configuration, group: group)
    }

    /// Sends `request` and returns when the response head arrives; read the
    /// body from the response.
    ///
    /// - Parameter timeout: time to the response head, in place of the
    ///   configuration's `requestTimeout`.
    /// - Throws: `HTTPClientError`.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil) async throws -> HTTPClientResponse {
        if middleware.isEmpty {
            return try await send(request, timeout: timeout)
        }
        return try await middleware.run(request) { request in
            try await send(request, timeout: timeout)
        }
    }

    private func send(_ request: HTTPClientRequest, timeout: Duration?) async throws -> HTTPClientResponse {
        try await send(request, to: try RequestTarget(url: request.url), timeout: timeout)
    }

    /// Sends `request` to `host:port`, with `request.url` holding the
    /// origin-form target (`/path?query`) instead of a URL, which saves
    /// building and parsing a URL per request. Middleware does not run.
    package func execute(_ request: HTTPClientRequest, host: String, port: Int, timeout: Duration? = nil) async throws -> HTTPClientResponse {
        try await send(request, to: RequestTarget(host: host, port: port, target: request.url), timeout: timeout)
    }

    private func send(_ request: HTTPClientRequest, to target: RequestTarget, timeout: Duration?) async throws -> HTTPClientResponse {
        let head = try ClientConnection.serializeHead(request, target: target)
        let key = ConnectionPool.Key(host: target.host, port: target.port)
        let timeout = timeout ?? configuration.requestTimeout
        // Each stale connection leaves the pool when it fails, so the pool
        // limit bounds the retries.
        var retries = 0
        while true {
            let (connection, reused) = try await pool.acquire(key, waitTimeout: configuration.poolWaitTimeout)
            do {
                // A task already on the connection's loop thread needs no
                // executor preference, which costs a task status update.
                if connection.loop.inEventLoop {
                    return try await connection.send(request, head: head, timeout: timeout)
                }
                return try await withTaskExecutorPreference(connection.loop) {
                    try await connection.send(request, head: head, timeout: timeout)
                }
            } catch let failure as ClientConnection.Failure {
                if reused && retries < configuration.maxConnectionsPerEndpoint && failure.allowsRetry(of: request.method) {
                    retries += 1
                    continue
                }
                throw failure.error
            }
        }
    }

    /// Sends a request and collects the whole response body, failing when it
    /// is larger than `maxBodySize` bytes.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil, collectingUpTo maxBodySize: Int) async throws -> (HTTPClientResponse, [UInt8]) {
        let response = try await execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: maxBodySize)
        return (response, body)
    }

    /// Returns the number of open connections to `host:port`, for tests and metrics.
    public func openConnectionCount(host: String, port: Int) -> Int {
        pool.openCount(ConnectionPool.Key(host: host, port: port))
    }

    /// Closes idle connections and rejects new requests. Requests in flight finish.
    public func shutdown() {
        pool.shutdown()
    }

    deinit {
        pool.shutdown()
    }
}
