import StratusHTTP
import StratusLog
import StratusNet
@testable import StratusTelemetry
import Synchronization
import Testing

enum TracingTestGroup {
    static let shared: EventLoopGroup = try! EventLoopGroup(loopCount: 2)
}

/// A logger that drops every event, for code under test that must be given one.
let tracingTestLogger = Logger(label: "stratus.tracing.test") { _ in NoOpLogHandler() }

/// Starts an `HTTPServer` on a free loopback port and returns it with its port.
func startTracingTestServer(_ responder: some HTTPResponder) async throws -> (HTTPServer, Int) {
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
        responder: responder,
        group: TracingTestGroup.shared,
        logger: tracingTestLogger
    )
    try await server.start()
    let port = try #require(server.localAddress?.port)
    return (server, port)
}

/// An OTLP/HTTP receiver on a loopback port that stores every request body
/// to `/v1/traces` and responds with scripted replies, then 200.
final class OTLPTestReceiver: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPFields = [:]
    }

    let server: HTTPServer
    let port: Int
    private let box: ReceiverBox

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts a receiver that sends `replies` in order to the first requests.
    static func start(replies: [Reply] = []) async throws -> OTLPTestReceiver {
        let box = ReceiverBox(replies: replies)
        let router = Router()
        router.post("/v1/traces") { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            let reply = box.record(body: body, contentType: request.headers["Content-Type"] ?? "")
            return Response(status: HTTPStatus(code: reply.status), headers: reply.headers, body: OutgoingBody(string: "{}"))
        }
        let (server, port) = try await startTracingTestServer(router.buildResponder())
        return OTLPTestReceiver(server: server, port: port, box: box)
    }

    private init(server: HTTPServer, port: Int, box: ReceiverBox) {
        self.server = server
        self.port = port
        self.box = box
    }

    /// Request bodies received so far, in order.
    var bodies: [[UInt8]] { box.snapshot().bodies }

    /// `Content-Type` values received so far, in order.
    var contentTypes: [String] { box.snapshot().contentTypes }

    var requestCount: Int { bodies.count }

    func stop() async {
        await server.shutdown(gracePeriod: .seconds(2))
    }
}

/// The receiver's mutable state, shared with its route handler.
final class ReceiverBox: Sendable {
    private let state: Mutex<(replies: [OTLPTestReceiver.Reply], bodies: [[UInt8]], contentTypes: [String])>

    init(replies: [OTLPTestReceiver.Reply]) {
        state = Mutex((replies, [], []))
    }

    func record(body: [UInt8], contentType: String) -> OTLPTestReceiver.Reply {
        state.withLock { state in
            state.bodies.append(body)
            state.contentTypes.append(contentType)
            return state.replies.isEmpty ? OTLPTestReceiver.Reply(status: 200) : state.replies.removeFirst()
        }
    }

    func snapshot() -> (bodies: [[UInt8]], contentTypes: [String]) {
        state.withLock { ($0.bodies, $0.contentTypes) }
    }
}

/// An exporter that keeps every batch in memory and announces each one
/// through `exported`.
final class RecordingSpanExporter: SpanExporter {
    private let state = Mutex<[[SpanData]]>([])
    let exported: AsyncStream<Int>
    private let exportedContinuation: AsyncStream<Int>.Continuation

    init() {
        (exported, exportedContinuation) = AsyncStream.makeStream()
    }

    var batches: [[SpanData]] { state.withLock { $0 } }
    var spans: [SpanData] { batches.flatMap { $0 } }

    func export(_ batch: [SpanData]) async throws {
        state.withLock { $0.append(batch) }
        exportedContinuation.yield(batch.count)
    }

    func shutdown() async {}
}

/// An exporter whose first export suspends until `release()`, to hold the
/// batch processor's export task while a test fills the queue. It reports
/// through `firstExportStarted` when that export begins.
final class BlockingSpanExporter: SpanExporter {
    private let recorder = RecordingSpanExporter()
    private let gate = Mutex<(released: Bool, waiter: CheckedContinuation<Void, Never>?, blocked: Bool)>((false, nil, false))
    let firstExportStarted: AsyncStream<Void>
    private let startedContinuation: AsyncStream<Void>.Continuation

    init() {
        (firstExportStarted, startedContinuation) = AsyncStream.makeStream()
    }

    var batches: [[SpanData]] { recorder.batches }

    func export(_ batch: [SpanData]) async throws {
        try await recorder.export(batch)
        let mustWait = gate.withLock { gate -> Bool in
            defer { gate.blocked = true }
            return !gate.blocked && !gate.released
        }
        guard mustWait else { return }
        startedContinuation.yield()
        await withCheckedContinuation { continuation in
            let released = gate.withLock { gate -> Bool in
                if gate.released { return true }
                gate.waiter = continuation
                return false
            }
            if released { continuation.resume() }
        }
    }

    func release() {
        let waiter = gate.withLock { gate in
            gate.released = true
            defer { gate.waiter = nil }
            return gate.waiter
        }
        waiter?.resume()
    }

    func shutdown() async {}
}

/// A sleep that never returns until cancelled, so that timers in the code
/// under test never fire and only explicit triggers export.
@Sendable func sleepUntilCancelled(_ duration: Duration) async throws {
    try await Task.sleep(for: .seconds(3600))
}

/// A sleep for the code under test that returns at once for the duration
/// `firing` and waits until cancelled for any other, so that one timeout
/// fires at once and no other timer fires at all.
func sleepFiring(_ firing: Duration) -> @Sendable (Duration) async throws -> Void {
    { duration in
        if duration != firing {
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

/// Returns the first element of `stream`, or nil when none arrives within
/// `timeout`, so that a broken test fails instead of hanging.
func firstElement<Element: Sendable>(of stream: AsyncStream<Element>, timeout: Duration = .seconds(10)) async -> Element? {
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// Builds an ended span for tests that build spans without a tracer.
func makeTestSpanData(name: String = "test", index: Int = 0) -> SpanData {
    SpanData(
        operationName: name,
        kind: .internal,
        context: SpanContext(traceID: TraceID(high: 1, low: UInt64(index + 1)), spanID: SpanID(value: UInt64(index + 1))),
        parentSpanID: nil,
        startNanosecondsSinceEpoch: 1_000,
        endNanosecondsSinceEpoch: 2_000
    )
}

/// A deterministic random number generator (SplitMix64), so that
/// statistical tests see the same ids on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// A processor that keeps ended spans in memory, in order.
final class SimpleTestProcessor: SpanProcessor {
    private let state = Mutex<[SpanData]>([])

    var endedSpans: [SpanData] { state.withLock { $0 } }

    func onEnd(_ span: SpanData) {
        state.withLock { $0.append(span) }
    }

    func forceFlush(timeout: Duration) async -> Bool { true }

    func shutdown(timeout: Duration) async {}
}
