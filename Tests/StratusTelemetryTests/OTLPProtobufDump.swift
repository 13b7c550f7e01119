import Foundation
@testable import StratusTelemetry
import StratusTestSupport
import Testing

/// Every field of a protobuf OTLP request as `Tests/Scripts/dump_otlp_protobuf.py`
/// decodes it with the OpenTelemetry protobuf definitions.
struct OTLPProtobufDump: Decodable {
    struct ResourceSpans: Decodable {
        var resource: Resource
        var scopeSpans: [ScopeSpans]
    }

    struct Resource: Decodable {
        var attributes: [KeyValue]
    }

    struct ScopeSpans: Decodable {
        var scope: Scope
        var spans: [Span]
    }

    struct Scope: Decodable {
        var name: String
        var version: String
    }

    struct Span: Decodable {
        var traceId: String
        var spanId: String
        var traceState: String
        var parentSpanId: String
        var flags: UInt32
        var name: String
        var kind: Int
        var startTimeUnixNano: String
        var endTimeUnixNano: String
        var attributes: [KeyValue]
        var droppedAttributesCount: Int
        var events: [Event]
        var droppedEventsCount: Int
        var links: [Link]
        var droppedLinksCount: Int
        var status: Status
        var hasStatus: Bool
    }

    struct Event: Decodable {
        var timeUnixNano: String
        var name: String
        var attributes: [KeyValue]
        var droppedAttributesCount: Int
    }

    struct Link: Decodable {
        var traceId: String
        var spanId: String
        var traceState: String
        var attributes: [KeyValue]
        var droppedAttributesCount: Int
        var flags: UInt32
    }

    struct Status: Decodable {
        var code: Int
        var message: String
    }

    struct KeyValue: Decodable, Equatable, CustomStringConvertible {
        var key: String
        var value: Value

        var description: String { "\(key)=\(value)" }
    }

    /// An `AnyValue`. Doubles compare equal when their bits are equal or
    /// both are NaN, so `-0.0` differs from `0.0` and NaN equals NaN.
    indirect enum Value: Decodable, Equatable {
        case string(String)
        case bool(Bool)
        case int(Int64)
        case double(Double)
        case array([Value])
        case unset

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            guard let key = container.allKeys.first, container.allKeys.count == 1 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected one member naming the value's type"))
            }
            switch key.stringValue {
            case "string": self = .string(try container.decode(String.self, forKey: key))
            case "bool": self = .bool(try container.decode(Bool.self, forKey: key))
            case "int": self = .int(try Self.parse(container.decode(String.self, forKey: key), as: Int64.init, at: decoder))
            case "double": self = .double(try Self.parse(container.decode(String.self, forKey: key), as: Double.init, at: decoder))
            case "array": self = .array(try container.decode([Value].self, forKey: key))
            case "unset": self = .unset
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown value type \(key.stringValue)"))
            }
        }

        private static func parse<T>(_ text: String, as parse: (String) -> T?, at decoder: any Decoder) throws -> T {
            guard let value = parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid number \(text)"))
            }
            return value
        }

        /// The value that `attribute` must decode to.
        init(_ attribute: SpanAttribute) {
            switch attribute {
            case .string(let text): self = .string(text)
            case .int64(let integer): self = .int(integer)
            case .double(let double): self = .double(double)
            case .bool(let bool): self = .bool(bool)
            case .stringArray(let values): self = .array(values.map(Value.string))
            case .int64Array(let values): self = .array(values.map(Value.int))
            case .doubleArray(let values): self = .array(values.map(Value.double))
            case .boolArray(let values): self = .array(values.map(Value.bool))
            }
        }

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.string(let left), .string(let right)): left == right
            case (.bool(let left), .bool(let right)): left == right
            case (.int(let left), .int(let right)): left == right
            case (.double(let left), .double(let right)): left.bitPattern == right.bitPattern || (left.isNaN && right.isNaN)
            case (.array(let left), .array(let right)): left == right
            case (.unset, .unset): true
            default: false
            }
        }
    }

    var resourceSpans: [ResourceSpans]
    /// Whether protobuf's deterministic serialization of the decoded request
    /// gives back the encoder's bytes exactly.
    var canonical: Bool

    /// The spans of the request's only resource and scope.
    var spans: [Span] {
        resourceSpans.first?.scopeSpans.first?.spans ?? []
    }

    /// Decodes `body` with the dump script.
    static func decode(_ body: [UInt8]) async throws -> OTLPProtobufDump {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-\(UInt64.random(in: 0...UInt64.max)).bin")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await PythonScript.run("dump_otlp_protobuf.py", arguments: [file.path])
        try #require(output.status == 0, "dump_otlp_protobuf.py failed: \(output.standardError)")
        return try JSONDecoder().decode(OTLPProtobufDump.self, from: Data(output.standardOutput.utf8))
    }
}

/// The key-value pairs that `attributes` must decode to, in order.
func expectedKeyValues(_ attributes: SpanAttributes) -> [OTLPProtobufDump.KeyValue] {
    var pairs: [OTLPProtobufDump.KeyValue] = []
    attributes.forEach { key, value in
        pairs.append(OTLPProtobufDump.KeyValue(key: key, value: OTLPProtobufDump.Value(value)))
    }
    return pairs
}

/// Checks every field of `decoded` against the span it was encoded from.
func expectSpan(_ decoded: OTLPProtobufDump.Span, matches span: SpanData, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(decoded.traceId == span.context.traceID.description, sourceLocation: sourceLocation)
    #expect(decoded.spanId == span.context.spanID.description, sourceLocation: sourceLocation)
    #expect(decoded.traceState == span.context.traceState, sourceLocation: sourceLocation)
    #expect(decoded.parentSpanId == (span.parentSpanID?.description ?? ""), sourceLocation: sourceLocation)
    #expect(decoded.flags == OTLPSpanFlags.value(of: span), sourceLocation: sourceLocation)
    #expect(decoded.name == span.operationName, sourceLocation: sourceLocation)
    #expect(decoded.kind == span.kind.rawValue, sourceLocation: sourceLocation)
    #expect(decoded.startTimeUnixNano == String(span.startNanosecondsSinceEpoch), sourceLocation: sourceLocation)
    #expect(decoded.endTimeUnixNano == String(span.endNanosecondsSinceEpoch), sourceLocation: sourceLocation)
    #expect(decoded.attributes == expectedKeyValues(span.attributes), sourceLocation: sourceLocation)
    #expect(decoded.droppedAttributesCount == span.droppedAttributeCount, sourceLocation: sourceLocation)
    #expect(decoded.events.count == span.events.count, sourceLocation: sourceLocation)
    for (event, expected) in zip(decoded.events, span.events) {
        #expect(event.timeUnixNano == String(expected.nanosecondsSinceEpoch), sourceLocation: sourceLocation)
        #expect(event.name == expected.name, sourceLocation: sourceLocation)
        #expect(event.attributes == expectedKeyValues(expected.attributes), sourceLocation: sourceLocation)
        #expect(event.droppedAttributesCount == 0, sourceLocation: sourceLocation)
    }
    #expect(decoded.droppedEventsCount == span.droppedEventCount, sourceLocation: sourceLocation)
    #expect(decoded.links.count == span.links.count, sourceLocation: sourceLocation)
    for (link, expected) in zip(decoded.links, span.links) {
        #expect(link.traceId == expected.context.traceID.description, sourceLocation: sourceLocation)
        #expect(link.spanId == expected.context.spanID.description, sourceLocation: sourceLocation)
        #expect(link.traceState == expected.context.traceState, sourceLocation: sourceLocation)
        #expect(link.attributes == expectedKeyValues(expected.attributes), sourceLocation: sourceLocation)
        #expect(link.flags == OTLPSpanFlags.value(of: expected), sourceLocation: sourceLocation)
    }
    #expect(decoded.droppedLinksCount == span.droppedLinkCount, sourceLocation: sourceLocation)
    #expect(decoded.hasStatus == (span.status.code != .unset), sourceLocation: sourceLocation)
    #expect(decoded.status.code == span.status.code.rawValue, sourceLocation: sourceLocation)
    let expectedMessage = span.status.code == .error ? span.status.message ?? "" : ""
    #expect(decoded.status.message == expectedMessage, sourceLocation: sourceLocation)
}
