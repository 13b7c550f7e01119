/// Settings of an `HTTPServer`. The defaults suit a service behind a gateway;
/// every limit and timeout can be changed.
public struct HTTPServerConfiguration: Sendable {
    /// The address to listen on. Default 127.0.0.1:8080.
    public var host: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free port (read it from `localAddress`).
    public var port: Int = 8080
    /// Parser limits: target, header section, header count and body size.
    public var limits = HTTPLimits()
    /// Time to receive a whole request head, counted from its first byte, so a
    /// client that sends a few bytes at a time (slowloris) is cut off. Default 10 s.
    public var headerTimeout: Duration = .seconds(10)
    /// Maximum pause while receiving a request body. Default 30 s.
    public var bodyTimeout: Duration = .seconds(30)
    /// Time a keep-alive connection may wait for its next request. Default 60 s.
    public var idleTimeout: Duration = .seconds(60)
    /// Maximum time queued output may make no progress. Default 30 s.
    public var writeTimeout: Duration = .seconds(30)
    /// Most open connections; further ones are accepted and closed at once.
    /// Default 16,384: keep it below the open-file limit.
    public var maxConnections = 16_384
    /// Unsent output per connection above which the connection stops reading
    /// and streaming writers wait. Default 1 MiB.
    public var writeBufferLimit = 1 << 20
    /// Request body bytes buffered for a slow handler before the connection
    /// stops reading. Default 256 KiB.
    public var bodyBufferLimit = 256 << 10
    /// Unread request body that is discarded, rather than closing the
    /// connection, when a handler responds without reading it. Default 1 MiB.
    public var maxDiscardedBody: Int64 = 1 << 20
    /// The executor that runs request handlers. Default `.eventLoop`.
    public var handlerExecutor = HandlerExecutor.eventLoop
    /// Listen backlog. Default 1,024.
    public var backlog: Int32 = 1024

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The executor on which the server runs request handlers.
public enum HandlerExecutor: String, Sendable, Hashable, CaseIterable {
    /// On a task whose executor preference is the connection's event loop:
    /// no thread hop per request, but a handler that blocks stalls the loop.
    case eventLoop
    /// On the global concurrency pool; the response is written back on the
    /// loop. Two thread hops per request, but blocking code stalls only a pool
    /// thread.
    case concurrencyPool
}
