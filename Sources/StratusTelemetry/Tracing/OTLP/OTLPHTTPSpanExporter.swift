public import StratusHTTP
public import StratusLog
import StratusNet
import Synchronization

/// Sends spans to an OpenTelemetry collector or backend (Jaeger, Tempo) with
/// OTLP/HTTP: `POST {endpoint}/v1/traces`, with a protobuf body by default or
/// a JSON one (`Configuration.encoding`).
///
/// Retryable responses (429, 502, 503, 504) and connection failures are
/// retried as `OTLPRetryPolicy` sets out, honoring `Retry-After`. Other
/// responses outside 2xx fail the batch at once. Failures are logged as
/// warnings, at most one a minute, with the number of failures not logged
/// since; `failedSpanCount` counts every lost span.
///
/// Give the exporter a client without tracing middleware, or its own
/// requests would become spans that it exports in turn.
///
/// Thread safety: all members may be called from any task. `export` runs
/// one batch at a time in the usual setup (`BatchSpanProcessor`), but
/// concurrent calls are safe.
public final class OTLPHTTPSpanExporter: SpanExporter {
    public struct Configuration: Sendable {
        /// The base URL of the OTLP/HTTP receiver; `/v1/traces` is appended.
        /// Default `http://127.0.0.1:4318`, the OTLP/HTTP port of a local
        /// collector or Jaeger. Only `http://` is supported.
        public var endpoint: String
        /// Extra request headers, such as an authorization token.
        public var headers: HTTPFields = [:]
        /// Maximum wait for each response. Default 10 s.
        public var timeout: Duration = .seconds(10)
        public var retry = OTLPRetryPolicy()
        /// The body encoding. Default `.protobuf`, as OTLP exporters
        /// default to; choose `.json` for a receiver that accepts JSON only.
        public var encoding: OTLPEncoding

        public init(endpoint: String = "http://127.0.0.1:4318", encoding: OTLPEncoding = .protobuf) {
            self.endpoint = endpoint
            self.encoding = encoding
        }

        /// The URL batches are posted to.
        public var tracesURL: String {
            var base = endpoint
            while base.hasSuffix("/") {
                base.removeLast()
            }
            return base + "/v1/traces"
        }
    }

    public let resource: TracingResource
    public let configuration: Configuration

    // Immutable after init.
    private let client: HTTPClient
    private let ownsClient: Bool
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    /// Thread-safe on its own.
    private let bodyBuffer = OTLPBodyBuffer()

    // Guarded by the mutex.
    private let state = Mutex(State())

    private struct State {
        var exportedSpanCount = 0
        var failedSpanCount = 0
        var attemptCount = 0
        var failureLog = LogRateLimiter(interval: .seconds(60))
        var isShutdown = false
    }

    /// - Parameters:
    ///   - client: the client to send with; by default the exporter makes
    ///     its own and shuts it down in `shutdown()`.
    ///   - logger: where export failures and retries are logged.
    public convenience init(
        resource: TracingResource,
        configuration: Configuration = Configuration(),
        client: HTTPClient? = nil,
        logger: Logger = Logger(label: "stratus.tracing")
    ) {
        self.init(resource: resource, configuration: configuration, client: client, logger: logger) { delay in
            try await Task.sleep(for: delay)
        }
    }

    /// - Parameter sleep: waits between attempts; tests pass one that records the delays.
    init(
        resource: TracingResource,
        configuration: Configuration,
        client: HTTPClient?,
        logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.resource = resource
        self.configuration = configuration
        self.client = client ?? HTTPClient()
        ownsClient = client == nil
        self.logger = logger
        self.sleep = sleep
    }

    /// Spans delivered so far.
    public var exportedSpanCount: Int { state.withLock { $0.exportedSpanCount } }

    /// Spans lost so far because their batch failed.
    public var failedSpanCount: Int { state.withLock { $0.failedSpanCount } }

    /// HTTP requests sent so far, retries included.
    public var attemptCount: Int { state.withLock { $0.attemptCount } }

    /// Sends `batch`, retrying as `configuration.retry` allows.
    ///
    /// Suspends for the whole exchange, retry waits included. Cancelling the
    /// calling task ends a retry wait and fails the batch.
    ///
    /// - Throws: `OTLPExportError`.
    public func export(_ batch: [SpanData]) async throws {
        guard !batch.isEmpty else { return }
        guard !state.withLock({ $0.isShutdown }) else {
            throw OTLPExportError(.shutdown, "OTLP exporter for \(configuration.tracesURL) is shut down; \(batch.count) spans not sent")
        }
        let encoding = configuration.encoding
        let body = bodyBuffer.encode(estimatedSize: encoding.estimatedSize(spanCount: batch.count)) { buffer in
            encoding.encode(batch, resource: resource, into: &buffer)
        }
        let request = makeRequest(body: body)
        do {
            try await send(request)
            state.withLock { $0.exportedSpanCount += batch.count }
        } catch {
            reportFailure(error, spanCount: batch.count)
            throw error
        }
    }

    public func shutdown() async {
        state.withLock { $0.isShutdown = true }
        if ownsClient {
            client.shutdown()
        }
    }

    private func makeRequest(body: [UInt8]) -> HTTPClientRequest {
        var headers = configuration.headers
        headers.set("Content-Type", configuration.encoding.contentType)
        return HTTPClientRequest(method: .post, url: configuration.tracesURL, headers: headers, body: OutgoingBody(bytes: body))
    }

    /// Sends `request` until it succeeds, fails for good, or runs out of attempts.
    private func send(_ request: HTTPClientRequest) async throws(OTLPExportError) {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            state.withLock { $0.attemptCount += 1 }
            let failure: OTLPExportError
            let retryAfter: Duration?
            switch await sendOnce(request) {
            case .delivered:
                return
            case .rejected(let error):
                throw error
            case .retryable(let error, let after):
                failure = error
                retryAfter = after
            }
            guard let delay = configuration.retry.delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator) else {
                throw OTLPExportError(.retriesExhausted, "\(attempt) attempts failed; last: \(failure.message)", status: failure.status)
            }
            logger.debug("retrying span export", metadata: [
                "otlp.endpoint": "\(configuration.tracesURL)",
                "otlp.attempt": "\(attempt)",
                "otlp.retry_delay": "\(delay)",
                "error": "\(failure)",
            ])
            do {
                try await sleep(delay)
            } catch {
                throw OTLPExportError(.retriesExhausted, "retry wait cancelled after \(attempt) attempts; last: \(failure.message)", status: failure.status)
            }
            attempt += 1
        }
    }

    private enum AttemptResult {
        case delivered
        case rejected(OTLPExportError)
        case retryable(OTLPExportError, retryAfter: Duration?)
    }

    /// Sends `request` once. Connection failures and timeouts are
    /// retryable; a request the client cannot build, a malformed response or
    /// a closed client are not.
    private func sendOnce(_ request: HTTPClientRequest) async -> AttemptResult {
        let url = configuration.tracesURL
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: configuration.timeout)
        } catch let error as HTTPClientError {
            let message = "POST \(url) failed: \(error)"
            switch error.code {
            case .connectFailed, .connectTimeout, .timedOut, .connectionClosed, .poolExhausted:
                return .retryable(OTLPExportError(.retriesExhausted, message), retryAfter: nil)
            case .invalidRequest:
                return .rejected(OTLPExportError(.invalidRequest, message + "; check the endpoint URL"))
            case .invalidResponse, .shutdown:
                return .rejected(OTLPExportError(.rejected, message))
            }
        } catch {
            return .retryable(OTLPExportError(.retriesExhausted, "POST \(url) failed: \(error)"), retryAfter: nil)
        }
        let body = (try? await response.body.collect(upTo: 64 << 10)) ?? []
        let status = response.status.code
        if (200..<300).contains(status) {
            return .delivered
        }
        let detail = String(decoding: body.prefix(256), as: UTF8.self)
        let message = "POST \(url) returned \(status): \(detail)"
        switch status {
        case 429, 502, 503, 504:
            let retryAfter = OTLPRetryPolicy.parseRetryAfter(response.headers["Retry-After"])
            return .retryable(OTLPExportError(.retriesExhausted, message, status: status), retryAfter: retryAfter)
        default:
            return .rejected(OTLPExportError(.rejected, message + "; check the endpoint and the receiver's logs", status: status))
        }
    }

    private func reportFailure(_ error: any Error, spanCount: Int) {
        let suppressed = state.withLock { state -> Int? in
            state.failedSpanCount += spanCount
            return state.failureLog.record(now: MonotonicClock.now())
        }
        guard let suppressed else { return }
        logger.warning("span export failed", metadata: [
            "otlp.endpoint": "\(configuration.tracesURL)",
            "tracing.spans_lost": "\(spanCount)",
            "tracing.failures_not_logged": "\(suppressed)",
            "error": "\(error)",
        ])
    }
}
