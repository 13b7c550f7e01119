import Synchronization

/// A sampled span of `OTelTracer`: it stores what is set on it, within the
/// span limits, and passes itself to the processor when it ends.
///
/// Thread safety: the mutable state is guarded by a `Mutex`; the processor is
/// called outside the lock.
final class RecordingSpan: Span {
    let context: ServiceContext
    private let kind: SpanKind
    private let parent: SpanContext?
    private let start: UInt64
    private let limits: SpanLimits
    private let processor: any SpanProcessor
    private let state: Mutex<State>

    private struct State {
        var operationName: String
        var attributes = SpanAttributes()
        var events: [SpanEvent] = []
        var links: [SpanLinkData] = []
        var status = SpanStatus.unset
        var droppedAttributeCount = 0
        var droppedEventCount = 0
        var droppedLinkCount = 0
        var hasEnded = false
    }

    init(
        operationName: String,
        kind: SpanKind,
        context: ServiceContext,
        parent: SpanContext?,
        start: UInt64,
        limits: SpanLimits,
        processor: any SpanProcessor
    ) {
        self.context = context
        self.kind = kind
        self.parent = parent
        self.start = start
        self.limits = limits
        self.processor = processor
        state = Mutex(State(operationName: operationName))
    }

    var operationName: String {
        get { state.withLock { $0.operationName } }
        set { mutate { $0.operationName = newValue } }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set {
            let limit = limits.maxAttributes
            mutate { state in
                state.attributes = Self.limited(newValue, to: limit, dropped: &state.droppedAttributeCount)
            }
        }
    }

    var isRecording: Bool { true }

    func setAttribute(_ value: SpanAttribute?, forKey key: String) {
        let limit = limits.maxAttributes
        mutate { state in
            // Below the limit every value is stored, so the key is searched
            // for once, by `set`, rather than also to tell whether it is new.
            if value != nil, state.attributes.count >= limit, state.attributes.attribute(forKey: key) == nil {
                state.droppedAttributeCount += 1
            } else {
                state.attributes.set(value, forKey: key)
            }
        }
    }

    func setStatus(_ status: SpanStatus) {
        mutate { state in
            // An ok status is final (OpenTelemetry trace API, "Set Status").
            guard state.status.code != .ok else { return }
            if status.code != .unset {
                state.status = status
            }
        }
    }

    func addEvent(_ event: SpanEvent) {
        let limit = limits.maxEvents
        mutate { state in
            if state.events.count < limit {
                state.events.append(event)
            } else {
                state.droppedEventCount += 1
            }
        }
    }

    func recordError(_ error: any Error, attributes: SpanAttributes, at instant: some TracerInstant) {
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(reflecting: type(of: error))
        eventAttributes["exception.message"] = String(describing: error)
        addEvent(SpanEvent(name: "exception", attributes: eventAttributes, at: instant))
    }

    func addLink(_ link: SpanLink) {
        guard let linked = link.context.spanContext else { return }
        let limit = limits.maxLinks
        mutate { state in
            if state.links.count < limit {
                state.links.append(SpanLinkData(context: linked, attributes: link.attributes))
            } else {
                state.droppedLinkCount += 1
            }
        }
    }

    func end(at instant: some TracerInstant) {
        let ended: SpanData? = state.withLock { state in
            guard !state.hasEnded else { return nil }
            state.hasEnded = true
            return makeData(state, end: instant.nanosecondsSinceEpoch)
        }
        if let ended {
            processor.onEnd(ended)
        }
    }

    private func makeData(_ state: State, end: UInt64) -> SpanData {
        var data = SpanData(
            operationName: state.operationName,
            kind: kind,
            context: context.spanContext!,
            parentSpanID: parent?.spanID,
            parentIsRemote: parent?.isRemote ?? false,
            startNanosecondsSinceEpoch: start,
            endNanosecondsSinceEpoch: max(end, start),
            attributes: state.attributes,
            events: state.events,
            links: state.links,
            status: state.status
        )
        data.droppedAttributeCount = state.droppedAttributeCount
        data.droppedEventCount = state.droppedEventCount
        data.droppedLinkCount = state.droppedLinkCount
        return data
    }

    /// Applies `change` unless the span has ended.
    private func mutate(_ change: (inout State) -> Void) {
        state.withLock { state in
            if !state.hasEnded {
                change(&state)
            }
        }
    }

    /// Keeps at most `limit` attributes, the first ones set, and counts the
    /// rest as dropped.
    private static func limited(_ attributes: SpanAttributes, to limit: Int, dropped: inout Int) -> SpanAttributes {
        guard attributes.count > limit else { return attributes }
        var kept = attributes
        kept.truncate(to: limit)
        dropped += attributes.count - limit
        return kept
    }
}
