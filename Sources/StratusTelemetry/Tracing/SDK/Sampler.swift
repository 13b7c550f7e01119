/// Decides whether a new span is recorded and exported.
///
/// The decision becomes the sampled flag of the span's context, so services
/// downstream that use `ParentBasedSampler` follow it.
public protocol Sampler: Sendable {
    /// - Parameters:
    ///   - parent: the parent's context, or nil for a root span.
    ///   - traceID: the trace id of the new span (the parent's, or a new one).
    func shouldSample(parent: SpanContext?, traceID: TraceID, operationName: String, kind: SpanKind) -> Bool
}

/// Samples every span.
public struct AlwaysOnSampler: Sampler {
    public init() {}

    public func shouldSample(parent: SpanContext?, traceID: TraceID, operationName: String, kind: SpanKind) -> Bool {
        true
    }
}

/// Samples no span.
public struct AlwaysOffSampler: Sampler {
    public init() {}

    public func shouldSample(parent: SpanContext?, traceID: TraceID, operationName: String, kind: SpanKind) -> Bool {
        false
    }
}

/// Samples a fixed fraction of traces, decided by the trace id alone, so
/// every service with the same ratio makes the same decision for a trace.
///
/// As OpenTelemetry's `TraceIdRatioBased` sampler, it compares the lower 64
/// bits of the trace id, read as an unsigned integer, against
/// `ratio * 2^64`. Trace ids must be random in those bits, which
/// `TraceID.random()` and W3C-conforming callers ensure.
public struct TraceIDRatioSampler: Sampler {
    public let ratio: Double
    /// Trace ids whose lower 64 bits are below this bound are sampled.
    let bound: UInt64
    private let samplesAll: Bool

    /// - Parameter ratio: the fraction of traces to sample, clamped to 0...1.
    public init(ratio: Double) {
        let clamped = ratio.isNaN ? 0 : min(max(ratio, 0), 1)
        self.ratio = clamped
        let scaled = clamped * 18_446_744_073_709_551_616.0
        samplesAll = scaled >= 18_446_744_073_709_551_616.0
        bound = samplesAll ? .max : UInt64(scaled)
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, operationName: String, kind: SpanKind) -> Bool {
        samplesAll || traceID.low < bound
    }
}

/// Follows the parent's sampled flag, and delegates to `root` for spans without a
/// parent, as OpenTelemetry's `ParentBased` sampler.
///
/// With the defaults, a child is sampled exactly when its parent is, whether
/// the parent is local or came in a `traceparent`.
public struct ParentBasedSampler: Sampler {
    public let root: any Sampler
    public let remoteParentSampled: any Sampler
    public let remoteParentNotSampled: any Sampler
    public let localParentSampled: any Sampler
    public let localParentNotSampled: any Sampler

    public init(
        root: any Sampler,
        remoteParentSampled: any Sampler = AlwaysOnSampler(),
        remoteParentNotSampled: any Sampler = AlwaysOffSampler(),
        localParentSampled: any Sampler = AlwaysOnSampler(),
        localParentNotSampled: any Sampler = AlwaysOffSampler()
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    public func shouldSample(parent: SpanContext?, traceID: TraceID, operationName: String, kind: SpanKind) -> Bool {
        let delegate: any Sampler = switch (parent?.isRemote, parent?.isSampled) {
        case (nil, _): root
        case (true, true): remoteParentSampled
        case (true, _): remoteParentNotSampled
        case (_, true): localParentSampled
        default: localParentNotSampled
        }
        return delegate.shouldSample(parent: parent, traceID: traceID, operationName: operationName, kind: kind)
    }
}
