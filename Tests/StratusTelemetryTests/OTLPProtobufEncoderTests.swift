@testable import StratusTelemetry
import StratusTestSupport
import Testing

/// Encodes spans as protobuf and decodes them with the OpenTelemetry
/// protobuf definitions (`Tests/Scripts/dump_otlp_protobuf.py`), then checks
/// every decoded field against the spans and that the bytes are the ones
/// protobuf itself would write.
@Suite(.disabled(if: PythonScript.isMissing, "the Python environment at .build/python is missing; run `make bootstrap`"))
struct OTLPProtobufEncoderTests {
    private let resource = TracingResource(
        serviceName: "proto-test",
        serviceInstanceID: "proto-test-1",
        serviceVersion: "1.2.3",
        attributes: ["deployment.environment.name": .string("test"), "host.cpus": .int64(2)]
    )

    private func decode(_ spans: [SpanData]) async throws -> OTLPProtobufDump {
        let body = OTLPProtobufEncoder.encode(spans, resource: resource)
        return try await OTLPProtobufDump.decode(body)
    }

    /// Returns a span with every field set to a value other than its default.
    private func makeFullSpan() -> SpanData {
        var span = SpanData(
            operationName: "GET /v1/users/:name",
            kind: .server,
            context: SpanContext(
                traceID: TraceID(high: 0x4BF9_2F35_77B3_4DA6, low: 0xA3CE_929D_0E0E_4736),
                spanID: SpanID(value: 0x00F0_67AA_0BA9_02B7),
                traceFlags: 0x01,
                traceState: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
            ),
            parentSpanID: SpanID(value: 0x1122_3344_5566_7788),
            parentIsRemote: true,
            startNanosecondsSinceEpoch: 1_733_350_000_123_456_789,
            endNanosecondsSinceEpoch: 1_733_350_000_223_456_789,
            attributes: [
                "http.request.method": .string("GET"),
                "http.response.status_code": .int64(503),
                "ratio": .double(0.25),
                "cache.hit": .bool(false),
                "names": .stringArray(["a", "", "c"]),
                "numbers": .int64Array([1, -2, Int64.max]),
                "doubles": .doubleArray([0.5, -1e300]),
                "bools": .boolArray([true, false]),
                "empty": .stringArray([]),
            ],
            events: [
                SpanEvent(name: "cache miss", attributes: ["cache.key": .string("users/alice")], at: DefaultTracerClock.Instant(nanosecondsSinceEpoch: 1_733_350_000_150_000_000)),
                SpanEvent(name: "exception", attributes: ["exception.type": .string("BackendDown")], at: DefaultTracerClock.Instant(nanosecondsSinceEpoch: 1_733_350_000_200_000_000)),
            ],
            links: [
                SpanLinkData(
                    context: SpanContext(traceID: TraceID(high: 7, low: 8), spanID: SpanID(value: 9), traceFlags: 0, traceState: "vendor=1", isRemote: true),
                    attributes: ["reason": .string("batch")]
                ),
                SpanLinkData(context: SpanContext(traceID: TraceID(high: 10, low: 11), spanID: SpanID(value: 12), isRemote: false)),
            ],
            status: .error("backend down")
        )
        span.droppedAttributeCount = 3
        span.droppedEventCount = 4
        span.droppedLinkCount = 5
        return span
    }

    @Test func everyFieldRoundTrips() async throws {
        let full = makeFullSpan()
        var child = makeTestSpanData(name: "SELECT users", index: 1)
        child.kind = .client
        child.parentSpanID = full.context.spanID
        child.status = .ok
        let dump = try await decode([full, child])

        #expect(dump.canonical)
        #expect(dump.resourceSpans.count == 1)
        let resourceSpans = try #require(dump.resourceSpans.first)
        #expect(resourceSpans.resource.attributes == expectedKeyValues(resource.allAttributes))
        #expect(resourceSpans.scopeSpans.count == 1)
        let scopeSpans = try #require(resourceSpans.scopeSpans.first)
        #expect(scopeSpans.scope.name == TracingScope.name)
        #expect(scopeSpans.scope.version == TracingScope.version)
        #expect(scopeSpans.spans.count == 2)
        expectSpan(scopeSpans.spans[0], matches: full)
        expectSpan(scopeSpans.spans[1], matches: child)
    }

    @Test func flagsTellParentRemoteness() async throws {
        var remoteChild = makeTestSpanData(index: 0)
        remoteChild.parentSpanID = SpanID(value: 99)
        remoteChild.parentIsRemote = true
        var localChild = makeTestSpanData(index: 1)
        localChild.parentSpanID = SpanID(value: 99)
        let root = makeTestSpanData(index: 2)
        let dump = try await decode([remoteChild, localChild, root])
        #expect(dump.spans.map(\.flags) == [0x301, 0x101, 0x001])
        #expect(dump.canonical)
    }

    @Test func emptyBatchHasResourceAndScope() async throws {
        let dump = try await decode([])
        #expect(dump.canonical)
        #expect(dump.resourceSpans.count == 1)
        #expect(dump.resourceSpans.first?.resource.attributes == expectedKeyValues(resource.allAttributes))
        #expect(dump.resourceSpans.first?.scopeSpans.first?.scope.name == TracingScope.name)
        #expect(dump.spans.isEmpty)
    }

    @Test func unicodeTextRoundTrips() async throws {
        var span = makeTestSpanData(name: "GET /caf\u{e9}/\u{1F600}/\u{4E2D}\u{6587}")
        span.attributes = [
            "k\u{e9}y.\u{1F680}": .string("line\nbreak, tab\t, nul \u{0}, quote \" and \u{10FFFF}"),
            "": .string(""),
        ]
        span.events = [SpanEvent(name: "\u{2603}", attributes: ["\u{e9}": .stringArray(["\u{1F600}", ""])], at: DefaultTracerClock.Instant(nanosecondsSinceEpoch: 5))]
        span.status = .error("\u{c9}chec \u{1F4A5}")
        let dump = try await decode([span])
        #expect(dump.canonical)
        let decoded = try #require(dump.spans.first)
        expectSpan(decoded, matches: span)
    }

    @Test func largeAttributeArraysRoundTrip() async throws {
        var span = makeTestSpanData()
        let strings = (0..<5_000).map { "value-\($0)" }
        let integers = (0..<20_000).map { Int64($0) * (($0 % 2 == 0) ? 1 : -1_000_000_007) }
        span.attributes = [
            "strings": .stringArray(strings),
            "integers": .int64Array(integers),
            "doubles": .doubleArray((0..<3_000).map { Double($0) / 7 }),
            "text": .string(String(repeating: "0123456789", count: 30_000)),
        ]
        let dump = try await decode([span])
        #expect(dump.canonical)
        let decoded = try #require(dump.spans.first)
        expectSpan(decoded, matches: span)
    }

    @Test func extremeIntegersRoundTrip() async throws {
        var span = makeTestSpanData()
        span.attributes = [
            "min": .int64(.min),
            "minus.one": .int64(-1),
            "zero": .int64(0),
            "max": .int64(.max),
            "array": .int64Array([.min, -1, 0, .max]),
        ]
        span.startNanosecondsSinceEpoch = 1
        span.endNanosecondsSinceEpoch = .max
        span.droppedAttributeCount = Int(UInt32.max)
        let dump = try await decode([span])
        #expect(dump.canonical)
        let decoded = try #require(dump.spans.first)
        expectSpan(decoded, matches: span)
        #expect(decoded.attributes.first?.value == .int(.min))
    }

    @Test func droppedCountAboveUInt32IsClamped() async throws {
        var span = makeTestSpanData()
        span.droppedEventCount = Int(UInt32.max) + 10
        let dump = try await decode([span])
        #expect(dump.spans.first?.droppedEventsCount == Int(UInt32.max))
    }

    @Test func specialDoublesRoundTrip() async throws {
        var span = makeTestSpanData()
        span.attributes = [
            "nan": .double(.nan),
            "infinity": .double(.infinity),
            "minus.infinity": .double(-.infinity),
            "minus.zero": .double(-0.0),
            "smallest": .double(.leastNonzeroMagnitude),
            "array": .doubleArray([.nan, .greatestFiniteMagnitude]),
        ]
        let dump = try await decode([span])
        #expect(dump.canonical)
        let decoded = try #require(dump.spans.first)
        expectSpan(decoded, matches: span)
        guard case .double(let nan) = decoded.attributes.first?.value else {
            Issue.record("nan attribute decoded as \(String(describing: decoded.attributes.first))")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func manyEventsRoundTrip() async throws {
        var span = makeTestSpanData()
        span.events = (0..<128).map { index in
            SpanEvent(
                name: "retry \(index)",
                attributes: ["attempt": .int64(Int64(index)), "backoff.seconds": .double(Double(index) * 0.5)],
                at: DefaultTracerClock.Instant(nanosecondsSinceEpoch: 1_000 + UInt64(index))
            )
        }
        span.droppedEventCount = 72
        let dump = try await decode([span])
        #expect(dump.canonical)
        let decoded = try #require(dump.spans.first)
        expectSpan(decoded, matches: span)
    }

    @Test func largeBatchRoundTrips() async throws {
        let spans = (0..<1_000).map { index in
            var span = makeTestSpanData(name: "span \(index)", index: index)
            span.attributes = ["index": .int64(Int64(index)), "path": .string("/v1/items/\(index)")]
            return span
        }
        let dump = try await decode(spans)
        #expect(dump.canonical)
        #expect(dump.spans.count == spans.count)
        for (decoded, span) in zip(dump.spans, spans) {
            expectSpan(decoded, matches: span)
        }
    }

    @Test func recordedSpansRoundTrip() async throws {
        struct BackendDown: Error {}
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        let server = tracer.startSpan("GET /v1/users/:name", context: .topLevel, ofKind: .server)
        server.attributes = ["http.route": .string("/v1/users/:name")]
        server.setAttribute(.int64(500), forKey: "http.response.status_code")
        server.recordError(BackendDown())
        let client = tracer.startSpan("GET", context: server.context, ofKind: .client)
        client.end()
        server.setStatus(.error("backend down"))
        server.end()

        let recorded = processor.endedSpans
        let dump = try await decode(recorded)
        #expect(dump.canonical)
        #expect(dump.spans.count == 2)
        for (decoded, span) in zip(dump.spans, recorded) {
            expectSpan(decoded, matches: span)
        }
    }
}
