/// Field numbers of the OTLP trace messages, from opentelemetry-proto 1.x:
/// `collector/trace/v1/trace_service.proto`, `trace/v1/trace.proto`,
/// `resource/v1/resource.proto` and `common/v1/common.proto`. The comments
/// give each field's protobuf type, which sets its wire type.
enum OTLPProtobufField {
    enum ExportTraceServiceRequest {
        static let resourceSpans: UInt32 = 1  // repeated ResourceSpans
    }

    enum ResourceSpans {
        static let resource: UInt32 = 1  // Resource
        static let scopeSpans: UInt32 = 2  // repeated ScopeSpans
    }

    enum Resource {
        static let attributes: UInt32 = 1  // repeated KeyValue
    }

    enum ScopeSpans {
        static let scope: UInt32 = 1  // InstrumentationScope
        static let spans: UInt32 = 2  // repeated Span
    }

    enum InstrumentationScope {
        static let name: UInt32 = 1  // string
        static let version: UInt32 = 2  // string
    }

    enum Span {
        static let traceID: UInt32 = 1  // bytes, 16
        static let spanID: UInt32 = 2  // bytes, 8
        static let traceState: UInt32 = 3  // string
        static let parentSpanID: UInt32 = 4  // bytes, 8
        static let name: UInt32 = 5  // string
        static let kind: UInt32 = 6  // enum SpanKind
        static let startTimeUnixNano: UInt32 = 7  // fixed64
        static let endTimeUnixNano: UInt32 = 8  // fixed64
        static let attributes: UInt32 = 9  // repeated KeyValue
        static let droppedAttributesCount: UInt32 = 10  // uint32
        static let events: UInt32 = 11  // repeated Event
        static let droppedEventsCount: UInt32 = 12  // uint32
        static let links: UInt32 = 13  // repeated Link
        static let droppedLinksCount: UInt32 = 14  // uint32
        static let status: UInt32 = 15  // Status
        static let flags: UInt32 = 16  // fixed32
    }

    enum Event {
        static let timeUnixNano: UInt32 = 1  // fixed64
        static let name: UInt32 = 2  // string
        static let attributes: UInt32 = 3  // repeated KeyValue
    }

    enum Link {
        static let traceID: UInt32 = 1  // bytes, 16
        static let spanID: UInt32 = 2  // bytes, 8
        static let traceState: UInt32 = 3  // string
        static let attributes: UInt32 = 4  // repeated KeyValue
        static let flags: UInt32 = 6  // fixed32
    }

    enum Status {
        static let message: UInt32 = 2  // string
        static let code: UInt32 = 3  // enum StatusCode
    }

    enum KeyValue {
        static let key: UInt32 = 1  // string
        static let value: UInt32 = 2  // AnyValue
    }

    /// The members of the `value` oneof.
    enum AnyValue {
        static let stringValue: UInt32 = 1  // string
        static let boolValue: UInt32 = 2  // bool
        static let intValue: UInt32 = 3  // int64
        static let doubleValue: UInt32 = 4  // double
        static let arrayValue: UInt32 = 5  // ArrayValue
    }

    enum ArrayValue {
        static let values: UInt32 = 1  // repeated AnyValue
    }
}
