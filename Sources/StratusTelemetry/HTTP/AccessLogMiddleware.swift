public import StratusHTTP
public import StratusLog
import StratusNet

/// Writes one line per request at info level, message `request`, through the
/// logger given at init, with this metadata:
///
/// | key | value |
/// |---|---|
/// | `http.method` | the request method |
/// | `http.route` | the matched route template (`/v1/users/:name`); absent when no route matched |
/// | `url.path` | the raw path without the query, because queries often carry tokens |
/// | `http.status` | the status code, as a number |
/// | `duration_ms` | milliseconds from entering this middleware until the response body was produced, on the monotonic clock |
/// | `http.response.body.size` | the body bytes produced; 0 for HEAD requests and for statuses without content, whose bodies the server does not send |
/// | `request.id` | `context.requestID`; absent when empty |
/// | `client.address` | the peer's `host:port`; absent when unknown |
/// | `error.type` | the type of a thrown error; absent otherwise |
///
/// Add it after `RequestIDMiddleware`, so that it runs inside it and can read
/// the request id. Add it before `RecoveryMiddleware`, so that it logs the
/// status the client receives:
///
/// ```swift
/// router.add(middleware: RequestIDMiddleware())
/// router.add(middleware: AccessLogMiddleware(logger: Logger(label: AccessLogMiddleware.defaultLabel)))
/// router.add(middleware: RecoveryMiddleware())
/// ```
///
/// When the rest of the chain throws, the line has the status the error turns
/// into (an `HTTPError`'s status, otherwise 500) and no body size, and the
/// error is rethrown unchanged. A streamed body is counted as its producer
/// writes it, and the line is written when the producer returns or throws.
/// When the server drops the response without running the producer (the
/// client closed the connection), the line is written when the response is
/// released, with a body size of 0.
///
/// `url.path` is redacted segment by segment: the value of a route
/// parameter whose name `redactor` finds sensitive (`/reset/:token`) is
/// replaced with `[REDACTED]`.
public struct AccessLogMiddleware: RouterMiddleware {
    /// The label to give the access logger. `LogBurstLimiter` never
    /// suppresses events with this label.
    public static let defaultLabel = "stratus.access"

    private let sink: AccessLogSink
    let redactor: Redactor
    private let now: @Sendable () -> UInt64

    public init(logger: Logger, redactor: Redactor = .standard) {
        self.init(logger: logger, redactor: redactor, now: nil)
    }

    /// - Parameter now: monotonic nanoseconds; tests inject a clock.
    init(logger: Logger, redactor: Redactor, now: (@Sendable () -> UInt64)?) {
        self.sink = AccessLogSink(logger: logger)
        self.redactor = redactor
        self.now = now ?? { MonotonicClock.now() }
    }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let start = now()
        let entry = requestEntry(request, context: context)
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? HTTPError)?.status ?? .internalServerError
            sink.write(entry.finished(status: status, durationNanoseconds: now() &- start, bodySize: nil, error: error))
            throw error
        }
        return logged(response, for: request, entry: entry, start: start)
    }

    /// Writes the line now for a body of known bytes, or returns the response
    /// with a producer that writes it once the body is produced.
    ///
    /// Only a streamed body needs an `AccessLogLine`, which makes sure the
    /// line is written once even when the producer never runs. Writing the
    /// other lines directly saves allocating one per request.
    private func logged(_ response: Response, for request: Request, entry: AccessLogEntry, start: UInt64) -> Response {
        let sendsBody = request.method != .head && !response.status.forbidsContent
        switch response.body.storage {
        case .bytes(let bytes):
            let bodySize = sendsBody ? bytes.count : 0
            sink.write(entry.finished(status: response.status, durationNanoseconds: now() &- start, bodySize: bodySize, error: nil))
            return response
        case .stream(let length, let producer):
            guard sendsBody else {
                sink.write(entry.finished(status: response.status, durationNanoseconds: now() &- start, bodySize: 0, error: nil))
                return response
            }
            let line = AccessLogLine(sink: sink, entry: entry, start: start, now: now)
            var response = response
            response.body = OutgoingBody(length: length, producer: countingProducer(producer, line: line, status: response.status))
            return response
        }
    }

    private func countingProducer(
        _ producer: @escaping @Sendable (any BodyWriter) async throws -> Void,
        line: AccessLogLine,
        status: HTTPStatus
    ) -> @Sendable (any BodyWriter) async throws -> Void {
        line.setPendingStatus(status)
        return { writer in
            let counting = AccessLogBodyCounter(base: writer)
            do {
                try await producer(counting)
            } catch {
                line.write(status: status, bodySize: counting.count, error: error)
                throw error
            }
            line.write(status: status, bodySize: counting.count, error: nil)
        }
    }

    private func requestEntry(_ request: Request, context: RequestContext) -> AccessLogEntry {
        AccessLogEntry(
            method: request.method.rawValue,
            route: context.route,
            path: redactedPath(request.path, route: context.route),
            requestID: context.requestID.isEmpty ? nil : context.requestID,
            clientAddress: context.remoteAddress
        )
    }
}
