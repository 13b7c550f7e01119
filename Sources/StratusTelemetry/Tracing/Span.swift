/// One timed operation of a trace, shaped like swift-distributed-tracing's `Span`.
///
/// A span is a reference: every holder reads the same attributes and status.
/// A span that is not recording (not sampled, or from the no-op tracer)
/// accepts every call and stores nothing. Calls after `end(at:)` are ignored.
///
/// Thread safety: every member may be called from any task.
public protocol Span: AnyObject, Sendable {
    /// The context that children and outgoing requests of this span carry:
    /// the caller's context with this span's `SpanContext`.
    var context: ServiceContext { get }

    /// The span's name, such as `GET /v1/users/:name`. It may change until
    /// the span ends, because a server learns its route late.
    var operationName: String { get set }

    /// The attributes so far. A span that is not recording returns none and
    /// ignores what is set.
    var attributes: SpanAttributes { get set }

    /// Sets the attribute under `key`, or removes it when `value` is nil,
    /// like `attributes[key] = value` but without copying the others.
    func setAttribute(_ value: SpanAttribute?, forKey key: String)

    /// Whether the span stores what is set on it and is exported when it ends.
    var isRecording: Bool { get }

    func setStatus(_ status: SpanStatus)

    func addEvent(_ event: SpanEvent)

    /// Adds an `exception` event with `exception.type` and `exception.message`.
    /// The status stays as it is: set it to `.error` when the error fails the
    /// operation.
    func recordError(_ error: any Error, attributes: SpanAttributes, at instant: some TracerInstant)

    func addLink(_ link: SpanLink)

    /// Ends the span at `instant` and hands it to the tracer's processor.
    /// Only the first call has an effect.
    func end(at instant: some TracerInstant)
}

extension Span {
    /// The span's own identity: trace id, span id and flags.
    public var spanContext: SpanContext? { context.spanContext }

    public func end() {
        end(at: DefaultTracerClock.now)
    }

    public func recordError(_ error: any Error, attributes: SpanAttributes = [:]) {
        recordError(error, attributes: attributes, at: DefaultTracerClock.now)
    }

    public func setAttribute(_ value: SpanAttribute?, forKey key: String) {
        guard isRecording else { return }
        attributes.set(value, forKey: key)
    }

    /// Merges `attributes` into the span's attributes.
    public func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        guard isRecording else { return }
        var attributes = self.attributes
        update(&attributes)
        self.attributes = attributes
    }
}

/// The role of a span in its trace, which backends use to draw calls between
/// services. The raw values are the OTLP `SpanKind` numbers.
public enum SpanKind: Int, Sendable, Hashable, CaseIterable {
    case `internal` = 1
    /// Handles a request from a remote client.
    case server = 2
    /// Sends a request to a remote server.
    case client = 3
    /// Sends a message that a consumer handles later.
    case producer = 4
    /// Handles a message from a producer.
    case consumer = 5
}

/// The outcome of a span. Leave it unset for normal completion; backends
/// treat unset like ok. Only set `.ok` to override an instrumentation's error.
public struct SpanStatus: Sendable, Hashable {
    /// The raw values are the OTLP `Status.StatusCode` numbers.
    public enum Code: Int, Sendable, Hashable {
        case unset = 0
        case ok = 1
        case error = 2
    }

    public var code: Code
    /// A description of the error. OTLP keeps it only with `.error`.
    public var message: String?

    public init(code: Code, message: String? = nil) {
        self.code = code
        self.message = message
    }

    public static let unset = SpanStatus(code: .unset)
    public static let ok = SpanStatus(code: .ok)

    public static func error(_ message: String? = nil) -> SpanStatus {
        SpanStatus(code: .error, message: message)
    }
}

/// Something that happened at one instant of a span, such as an exception.
public struct SpanEvent: Sendable, Hashable {
    public var name: String
    public var attributes: SpanAttributes
    public var nanosecondsSinceEpoch: UInt64

    public init(name: String, attributes: SpanAttributes = [:], at instant: some TracerInstant) {
        self.name = name
        self.attributes = attributes
        nanosecondsSinceEpoch = instant.nanosecondsSinceEpoch
    }

    /// Creates an event at the current time.
    public init(name: String, attributes: SpanAttributes = [:]) {
        self.init(name: name, attributes: attributes, at: DefaultTracerClock.now)
    }
}

/// A reference from a span to another span it relates to but is not the
/// child of, such as the request that enqueued a message it consumes.
public struct SpanLink: Sendable {
    /// The context whose `spanContext` names the linked span. A link to a
    /// context without one is dropped.
    public var context: ServiceContext
    public var attributes: SpanAttributes

    public init(context: ServiceContext, attributes: SpanAttributes = [:]) {
        self.context = context
        self.attributes = attributes
    }
}
