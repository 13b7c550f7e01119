import Foundation
import StratusHTTP
@testable import StratusTelemetry
import StratusTestSupport
import Testing

@Suite struct OTLPJSONWriterTests {
    private func encoded(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func escapesQuotesAndBackslashes() {
        #expect(encoded(#"a"b\c"#) == #""a\"b\\c""#)
    }

    @Test func escapesControlCharacters() {
        #expect(encoded("a\nb\tc\r\u{01}\u{1F}\u{7F}") == #""a\nb\tc\r\u0001\u001f\u007f""#)
    }

    @Test func keepsNonASCII() {
        #expect(encoded("caf\u{e9} \u{1F600}") == "\"caf\u{e9} \u{1F600}\"")
    }

    @Test func writesSpecialDoubles() {
        var writer = JSONWriter()
        writer.double(.nan)
        writer.raw(",")
        writer.double(-.infinity)
        writer.raw(",")
        writer.double(1.5)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""NaN","-Infinity",1.5"#)
    }

    @Test func writesIntegersAndHexIDs() {
        var writer = JSONWriter()
        writer.integer(0)
        writer.raw(",")
        writer.integer(Int64.min)
        writer.raw(",")
        writer.quotedInteger(UInt64.max)
        writer.raw(",")
        writer.quotedHex(0x00f0_67aa_0ba9_02b7)
        writer.raw(",")
        writer.quotedHex(TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0x1))
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"0,-9223372036854775808,"18446744073709551615","00f067aa0ba902b7","4bf92f3577b34da60000000000000001""#)
    }

    @Test func parsesWithFoundation() throws {
        let span = makeTestSpanData(name: "quote \" backslash \\ newline \n")
        let body = OTLPJSONEncoder.encode([span], resource: TracingResource(serviceName: "json-test"))
        let parsed = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        #expect(parsed?["resourceSpans"] != nil)
    }
}

/// Exports spans to a test receiver in each encoding and decodes the
/// captured body with the OpenTelemetry protobuf definitions, through
/// `Tests/Scripts/decode_otlp.py`.
@Suite struct OTLPProtobufDecodeTests {
    @Test(
        .disabled(if: PythonScript.isMissing, "the Python environment at .build/python is missing; run `make bootstrap`"),
        arguments: OTLPEncoding.allCases
    )
    func protobufDecodesExport(encoding: OTLPEncoding) async throws {
        let receiver = try await OTLPTestReceiver.start()
        let client = HTTPClient(group: TracingTestGroup.shared)
        let exporter = OTLPHTTPSpanExporter(
            resource: TracingResource(serviceName: "decode-test", serviceInstanceID: "decode-test-1"),
            configuration: OTLPHTTPSpanExporter.Configuration(endpoint: receiver.endpoint, encoding: encoding),
            client: client,
            logger: tracingTestLogger
        )
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        recordSampleSpans(tracer)
        try await exporter.export(processor.endedSpans)
        client.shutdown()
        await receiver.stop()

        #expect(receiver.contentTypes == [encoding.contentType])
        let body = try #require(receiver.bodies.first)
        let summary = try await decode(body, encoding: encoding)
        let spans = try #require(summary["spans"] as? [[String: Any]])
        #expect(spans.count == 2)
        let byName = Dictionary(uniqueKeysWithValues: spans.map { ($0["name"] as? String ?? "", $0) })
        let server = try #require(byName["GET /v1/users/:name"])
        let client_ = try #require(byName["GET"])
        #expect(server["kind"] as? Int == 2)
        #expect(client_["kind"] as? Int == 3)
        #expect(server["parentSpanId"] as? String == "")
        #expect(client_["parentSpanId"] as? String == server["spanId"] as? String)
        #expect(client_["traceId"] as? String == server["traceId"] as? String)
        #expect(server["service"] as? String == "decode-test")
        #expect(server["scope"] as? String == TracingScope.name)
        let attributes = try #require(server["attributes"] as? [String: Any])
        #expect(Set(attributes.keys) == ["text", "count", "ratio", "flag", "names", "numbers", "doubles", "bools"])
        #expect(attributes["text"] as? String == "quote \" and \n newline")
        #expect(attributes["count"] as? Int == 42)
        #expect(attributes["ratio"] as? Double == 0.25)
        #expect(attributes["flag"] as? Bool == true)
        #expect(attributes["names"] as? [String] == ["a", "b"])
        #expect(attributes["numbers"] as? [Int] == [1, -2])
        #expect(server["events"] as? [String] == ["cache miss", "exception"])
        #expect((server["links"] as? [String])?.count == 1)
        #expect(server["statusCode"] as? Int == 2)
        #expect(server["statusMessage"] as? String == "backend down")
        #expect(server["durationValid"] as? Bool == true)
        #expect(client_["statusCode"] as? Int == 0)
    }

    private func recordSampleSpans(_ tracer: OTelTracer) {
        struct BackendDown: Error {}
        let server = tracer.startSpan("GET /v1/users/:name", context: .topLevel, ofKind: .server)
        server.attributes = [
            "text": .string("quote \" and \n newline"),
            "count": .int64(42),
            "ratio": .double(0.25),
            "flag": .bool(true),
            "names": .stringArray(["a", "b"]),
            "numbers": .int64Array([1, -2]),
            "doubles": .doubleArray([0.5]),
            "bools": .boolArray([false]),
        ]
        server.addEvent(SpanEvent(name: "cache miss", attributes: ["cache.key": .string("users/alice")]))
        var linked = ServiceContext.topLevel
        linked.spanContext = SpanContext(traceID: .random(), spanID: .random(), traceState: "rojo=1", isRemote: true)
        server.addLink(SpanLink(context: linked, attributes: ["reason": .string("batch")]))
        let client = tracer.startSpan("GET", context: server.context, ofKind: .client)
        client.end()
        server.recordError(BackendDown())
        server.setStatus(.error("backend down"))
        server.end()
    }

    /// Runs the decode script on `body` and returns its JSON summary.
    private func decode(_ body: [UInt8], encoding: OTLPEncoding) async throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-\(UInt64.random(in: 0...UInt64.max)).\(encoding.rawValue)")
        try Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let arguments = encoding == .protobuf ? ["--protobuf", file.path] : [file.path]
        let output = try await PythonScript.run("decode_otlp.py", arguments: arguments)
        try #require(
            output.status == 0,
            "decode_otlp.py failed: \(output.standardError)\nbody: \(String(decoding: body, as: UTF8.self))"
        )
        return try #require(try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any])
    }
}
