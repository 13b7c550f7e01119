import Foundation
import StratusGatewayPolicies
import StratusHTTP
import StratusLog
import StratusNet
import StratusResilience
import Synchronization
import Testing

/// A logger that drops every record.
let quietLogger = Logger(label: "stratus.test.policies") { NoOpLogHandler(label: $0) }

enum PolicyTestGroup {
    static let shared: EventLoopGroup = try! EventLoopGroup(loopCount: 1)
}

/// A wall clock and a monotonic clock that tests move by hand, together.
final class ManualClocks: Sendable {
    private let wallNanoseconds: Atomic<UInt64>
    private let monotonicNanoseconds = Atomic<UInt64>(1_000_000_000)

    /// - Parameter epochSeconds: the wall clock's start, in seconds since
    ///   the Unix epoch.
    init(epochSeconds: UInt64 = 1_800_000_000) {
        wallNanoseconds = Atomic(epochSeconds * 1_000_000_000)
    }

    var wall: WallClock { WallClock { [self] in wallNanoseconds.load(ordering: .relaxed) } }
    var monotonic: ResilienceClock { ResilienceClock { [self] in monotonicNanoseconds.load(ordering: .relaxed) } }

    var epochSeconds: Double { Double(wallNanoseconds.load(ordering: .relaxed)) / 1e9 }

    func advance(by duration: Duration) {
        let nanoseconds = UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
        wallNanoseconds.add(nanoseconds, ordering: .relaxed)
        monotonicNanoseconds.add(nanoseconds, ordering: .relaxed)
    }
}

/// Builds a router with `middleware` and routes `GET /work` and
/// `OPTIONS /work` that echo the forwarded request, and returns its responder.
///
/// The echo is JSON: the target, the header fields as `name: value` lines,
/// and the consumer's name in `GatewayConsumer.current`.
func echoResponder(_ middleware: [any RouterMiddleware]) -> some HTTPResponder {
    let router = Router()
    for layer in middleware {
        router.add(middleware: layer)
    }
    let handler: @Sendable (Request, RequestContext) async throws -> Response = { request, _ in
        let echo = Echo(
            target: request.head.target,
            headers: request.headers.map { "\($0.name): \($0.value)" },
            consumer: GatewayConsumer.current?.username,
            subject: GatewayConsumer.current?.authentication?.subject
        )
        return try Response.json(echo)
    }
    router.get("/work", use: handler)
    router.post("/work", use: handler)
    router.on("/work", method: .options, use: handler)
    return router.buildResponder()
}

/// What `echoResponder` returns.
struct Echo: Codable {
    var target: String
    var headers: [String]
    var consumer: String?
    var subject: String?

    /// Returns the values of the header field `name`, ignoring case.
    func values(_ name: String) -> [String] {
        headers.compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == name.lowercased() else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }
}

/// Sends a request to `responder` in memory.
func send(
    _ method: HTTPMethod = .get,
    _ target: String = "/work",
    to responder: some HTTPResponder,
    headers: HTTPFields = [:],
    remoteAddress: String? = "127.0.0.1:40000"
) async throws -> Response {
    let request = Request(head: HTTPRequestHead(method: method, target: target, headers: headers))
    return try await responder.respond(to: request, context: RequestContext(remoteAddress: remoteAddress, logger: quietLogger))
}

/// Returns the bytes of a response's body.
func bodyBytes(_ response: Response) async throws -> [UInt8] {
    switch response.body.storage {
    case .bytes(let bytes):
        return bytes
    case .stream(_, let producer):
        let writer = CollectingWriter()
        try await producer(writer)
        return writer.bytes
    }
}

/// Decodes the echo of a 200 response.
func decodeEcho(_ response: Response) async throws -> Echo {
    #expect(response.status == .ok, "expected 200, got \(response.status)")
    return try JSONDecoder().decode(Echo.self, from: Data(try await bodyBytes(response)))
}

/// Returns the `error.code` of a policy failure's JSON body.
func errorCode(_ response: Response) async throws -> String? {
    let object = try JSONSerialization.jsonObject(with: Data(try await bodyBytes(response))) as? [String: Any]
    return (object?["error"] as? [String: Any])?["code"] as? String
}

/// Collects what a streamed or fixed body writes.
final class CollectingWriter: BodyWriter, @unchecked Sendable {
    private let lock = Mutex<[UInt8]>([])

    var bytes: [UInt8] { lock.withLock { $0 } }

    func write(_ bytes: [UInt8]) async throws {
        lock.withLock { $0.append(contentsOf: bytes) }
    }
}

/// Starts an HTTP server on 127.0.0.1 with a kernel-chosen port that
/// responds with `handler`, runs `body` with its base URL, then stops it.
func withServer(
    _ handler: @escaping @Sendable (Request) async throws -> Response,
    _ body: (String) async throws -> Void
) async throws {
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
        responder: ClosureResponder { request, _ in try await handler(request) },
        group: PolicyTestGroup.shared,
        logger: quietLogger
    )
    try await server.start()
    var failure: (any Error)?
    do {
        try await body("http://127.0.0.1:\(try #require(server.localAddress?.port))")
    } catch {
        failure = error
    }
    await server.shutdown(gracePeriod: .milliseconds(200))
    if let failure {
        throw failure
    }
}

/// A log handler that keeps every event in memory.
final class CapturedLogs: Sendable {
    struct Event: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let events = Mutex<[Event]>([])

    var all: [Event] { events.withLock { $0 } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "stratus.test.captured") { _ in Handler(sink: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything logged, as one text, for searching for secrets.
    var text: String {
        all.map { "\($0.level) \($0.message) \($0.metadata)" }.joined(separator: "\n")
    }

    private struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata callSite: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let merged = metadata.merging(callSite ?? [:]) { $1 }
            sink.events.withLock { $0.append(Event(level: level, message: "\(message)", metadata: merged)) }
        }
    }
}

/// Polls `condition` every millisecond until it holds, for at most `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Checks that validating each configuration fails with an error naming
/// its field.
func expectFieldErrors<Configuration>(
    _ cases: [(Configuration, String)],
    sourceLocation: SourceLocation = #_sourceLocation,
    validate: (Configuration) throws(PolicyConfigurationError) -> Void
) {
    for (configuration, field) in cases {
        do {
            try validate(configuration)
            Issue.record("expected an error for \(field)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.field == field, sourceLocation: sourceLocation)
        }
    }
}
