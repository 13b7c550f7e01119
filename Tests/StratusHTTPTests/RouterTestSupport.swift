import StratusHTTP
import StratusLog
import Synchronization

/// Sends one request through a responder in memory, with no server or socket.
func send(
    _ method: HTTPMethod,
    _ target: String,
    headers: HTTPFields = [:],
    to responder: some HTTPResponder,
    context: RequestContext = RequestContext(logger: Logger(label: "test") { NoOpLogHandler(label: $0) })
) async throws -> Response {
    let request = Request(head: HTTPRequestHead(method: method, target: target, headers: headers))
    return try await responder.respond(to: request, context: context)
}

extension Response {
    /// The body as UTF-8 text. These tests only build byte bodies.
    var bodyText: String {
        guard case .bytes(let bytes) = body.storage else {
            return "<streamed body>"
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Middleware that records its name on the way in (request header
/// `X-Trace`) and on the way out (response header `X-Trace`).
struct TraceMiddleware: RouterMiddleware {
    let name: String

    func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        var request = request
        request.headers.append("X-Trace", name)
        var response = try await next(request, context)
        response.headers.append("X-Trace", name)
        return response
    }
}

/// One event as `RecordingLogHandler` received it, metadata already merged.
struct RecordedEvent: Sendable {
    let level: Logger.Level
    let message: String
    let metadata: Logger.Metadata
}

/// Collects the events of every handler made from it.
final class LogRecorder: Sendable {
    private let recorded = Mutex<[RecordedEvent]>([])

    var events: [RecordedEvent] {
        recorded.withLock { $0 }
    }

    func append(_ event: RecordedEvent) {
        recorded.withLock { $0.append(event) }
    }

    func makeLogger() -> Logger {
        Logger(label: "test") { _ in RecordingLogHandler(recorder: self) }
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata callSite: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        recorder.append(
            RecordedEvent(level: level, message: message.description, metadata: metadata.merging(callSite: callSite))
        )
    }
}
