/// A span that has ended, as processors and exporters receive it.
public struct SpanData: Sendable {
    public var operationName: String
    public var kind: SpanKind
    /// The span's own trace id, span id, flags and trace state.
    public var context: SpanContext
    /// The parent's span id, or nil for a root span.
    public var parentSpanID: SpanID?
    /// Whether the parent came from another process.
    public var parentIsRemote: Bool
    public var startNanosecondsSinceEpoch: UInt64
    public var endNanosecondsSinceEpoch: UInt64
    public var attributes: SpanAttributes
    public var events: [SpanEvent]
    public var links: [SpanLinkData]
    public var status: SpanStatus
    /// Attributes, events and links that the span limits dropped.
    public var droppedAttributeCount = 0
    public var droppedEventCount = 0
    public var droppedLinkCount = 0

    public init(
        operationName: String,
        kind: SpanKind,
        context: SpanContext,
        parentSpanID: SpanID?,
        parentIsRemote: Bool = false,
        startNanosecondsSinceEpoch: UInt64,
        endNanosecondsSinceEpoch: UInt64,
        attributes: SpanAttributes = [:],
        events: [SpanEvent] = [],
        links: [SpanLinkData] = [],
        status: SpanStatus = .unset
    ) {
        self.operationName = operationName
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.startNanosecondsSinceEpoch = startNanosecondsSinceEpoch
        self.endNanosecondsSinceEpoch = endNanosecondsSinceEpoch
        self.attributes = attributes
        self.events = events
        self.links = links
        self.status = status
    }
}

/// A link of an ended span: the linked span's context and the link's attributes.
public struct SpanLinkData: Sendable {
    public var context: SpanContext
    public var attributes: SpanAttributes

    public init(context: SpanContext, attributes: SpanAttributes = [:]) {
        self.context = context
        self.attributes = attributes
    }
}

/// The maximum attributes, events and links one span keeps. What goes beyond is
/// dropped and counted, so that a loop adding events cannot grow a span
/// without bound. The defaults are OpenTelemetry's (128 each).
public struct SpanLimits: Sendable, Hashable {
    public var maxAttributes = 128
    public var maxEvents = 128
    public var maxLinks = 128

    public init() {}
}
