/// The body encoding of OTLP/HTTP export requests.
public enum OTLPEncoding: String, Sendable, Hashable, CaseIterable {
    /// Protobuf binary, `Content-Type: application/x-protobuf`. The OTLP
    /// exporters' default, and the one encoding that every OTLP/HTTP receiver
    /// accepts. A server span of `TracingMiddleware` takes about 45 % of its
    /// JSON size, and encoding it costs less.
    case protobuf
    /// OTLP/JSON, `Content-Type: application/json`: protobuf's JSON mapping,
    /// with trace and span ids as hex. Readable in a packet capture, and
    /// accepted by receivers that take JSON only.
    case json

    /// The `Content-Type` of a request body in this encoding.
    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    /// Appends the `ExportTraceServiceRequest` of `spans` to `buffer`.
    func encode(_ spans: [SpanData], resource: TracingResource, into buffer: inout EncodingBuffer) {
        switch self {
        case .protobuf: OTLPProtobufEncoder.encode(spans, resource: resource, into: &buffer)
        case .json: OTLPJSONEncoder.encode(spans, resource: resource, into: &buffer)
        }
    }

    /// Returns the bytes to reserve for a batch of `spanCount` spans.
    func estimatedSize(spanCount: Int) -> Int {
        switch self {
        case .protobuf: OTLPProtobufEncoder.estimatedSize(spanCount: spanCount)
        case .json: OTLPJSONEncoder.estimatedSize(spanCount: spanCount)
        }
    }
}
