import Foundation
import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingJSONTests {
    @Test func lineShape() throws {
        let captured = CapturedLogOutput()
        var logger = makeJSONLogger(label: "iam.apiserver", output: captured.makeOutput())
        logger[metadataKey: "service.name"] = "iam"
        logger.warning("slow query", metadata: [
            "db.rows": .stringConvertible(42),
            "db.ratio": .stringConvertible(0.5),
            "db.cached": .stringConvertible(false),
            "db.shard": .stringConvertible("s-7"),
        ])

        let objects = try captured.jsonObjects()
        try #require(objects.count == 1)
        let object = objects[0]
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "iam.apiserver")
        #expect(object["message"] as? String == "slow query")
        #expect(object["source"] as? String == "StratusTelemetryTests")
        #expect(object["timestamp"] is String)
        #expect(object["service.name"] as? String == "iam")
        #expect(object["db.rows"] as? Int == 42)
        #expect(object["db.ratio"] as? Double == 0.5)
        #expect(object["db.cached"] as? Bool == false)
        #expect(captured.lines[0].contains(#""db.cached":false"#))
        #expect(object["db.shard"] as? String == "s-7")
        #expect(object["trace_id"] == nil)
        #expect(object["span_id"] == nil)
    }

    @Test func fixedFieldsComeFirst() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        logger.info("event", metadata: ["a": "1"])

        let line = try #require(captured.lines.first)
        #expect(line.hasPrefix(#"{"timestamp":""#))
        #expect(line.contains(#","level":"info","label":"test","message":"event","source":"StratusTelemetryTests","a":"1"}"#))
    }

    @Test func nestedMetadata() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        logger.info("event", metadata: [
            "upstream": ["endpoint": "10.0.0.7:8080", "weights": [.stringConvertible(1), .stringConvertible(3)]],
            "tags": ["a", "b"],
        ])

        let object = try #require(try captured.jsonObjects().first)
        let upstream = try #require(object["upstream"] as? [String: Any])
        #expect(upstream["endpoint"] as? String == "10.0.0.7:8080")
        #expect(upstream["weights"] as? [Int] == [1, 3])
        #expect(object["tags"] as? [String] == ["a", "b"])
    }

    @Test func escapesQuotesAndControls() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        let tricky = "say \"hi\"\\ now\nnext\r\t\u{0}\u{1}\u{8}\u{C}\u{1F} end"
        logger.info("\(tricky)", metadata: ["value": .string(tricky), "key\"with\nbreak": "x"])

        let lines = captured.lines
        try #require(lines.count == 1)
        #expect(lines[0].contains(#""message":"say \"hi\"\\ now\nnext\r\t\u0000\u0001\b\f\u001f end""#))
        let object = try #require(try captured.jsonObjects().first)
        #expect(object["message"] as? String == tricky)
        #expect(object["value"] as? String == tricky)
        #expect(object["key\"with\nbreak"] as? String == "x")
    }

    @Test func unicodePassesThrough() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        let text = "grüße 你好 🚀 \u{2028}"
        logger.info("\(text)")

        let line = try #require(captured.lines.first)
        #expect(line.contains(#""message":"grüße 你好 🚀 \#u{2028}""#))
        let object = try #require(try captured.jsonObjects().first)
        #expect(object["message"] as? String == text)
    }

    @Test func timestampFormat() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        let before = Date()
        logger.info("event")
        let after = Date()

        let object = try #require(try captured.jsonObjects().first)
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)
        #expect(parsed >= before.addingTimeInterval(-0.001))
        #expect(parsed <= after)
    }

    @Test func traceIDsOnlyWithActiveSpan() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        let span = SpanContext(
            traceID: TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736),
            spanID: SpanID(value: 0x00f0_67aa_0ba9_02b7)
        )
        var context = ServiceContext.topLevel
        context.spanContext = span

        logger.info("before")
        withServiceContext(context) {
            logger.info("inside")
        }
        withServiceContext(.topLevel) {
            logger.info("context without span")
        }

        let objects = try captured.jsonObjects()
        try #require(objects.count == 3)
        #expect(objects[0]["trace_id"] == nil)
        #expect(objects[1]["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(objects[1]["span_id"] as? String == "00f067aa0ba902b7")
        #expect(objects[2]["trace_id"] == nil)
        #expect(objects[2]["span_id"] == nil)
    }

    @Test func metadataCannotOverwriteFixedFields() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        logger.info("real message", metadata: [
            "level": "critical",
            "message": "fake",
            "timestamp": "1970",
            "label": "other",
            "source": "elsewhere",
            "trace_id": "forged",
        ])

        let lines = captured.lines
        try #require(lines.count == 1)
        let object = try #require(try captured.jsonObjects().first)
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "real message")
        #expect(object["label"] as? String == "test")
        #expect(object["source"] as? String == "StratusTelemetryTests")
        #expect(object["trace_id"] == nil)
        #expect(object["metadata.level"] as? String == "critical")
        #expect(object["metadata.message"] as? String == "fake")
        #expect(object["metadata.trace_id"] as? String == "forged")
        #expect(lines[0].components(separatedBy: #""level":"#).count == 2)
    }

    @Test func prefixedCollisionKeepsExplicitKey() throws {
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(output: captured.makeOutput())
        logger.info("event", metadata: ["level": "shadow", "metadata.level": "explicit"])

        let line = try #require(captured.lines.first)
        #expect(line.components(separatedBy: #""metadata.level":"#).count == 2)
        let object = try #require(try captured.jsonObjects().first)
        #expect(object["metadata.level"] as? String == "explicit")
    }

    @Test func secretsAreRedacted() throws {
        let captured = CapturedLogOutput()
        var logger = makeJSONLogger(output: captured.makeOutput())
        logger[metadataKey: "db.password"] = "hunter2"
        logger.info("connect", metadata: ["Authorization": "Bearer abc", "config": ["api_key": "k-1", "region": "eu"]])

        let line = try #require(captured.lines.first)
        #expect(!line.contains("hunter2"))
        #expect(!line.contains("Bearer abc"))
        #expect(!line.contains("k-1"))
        let object = try #require(try captured.jsonObjects().first)
        #expect(object["db.password"] as? String == "[REDACTED]")
        let config = try #require(object["config"] as? [String: Any])
        #expect(config["region"] as? String == "eu")
    }

    @Test func levelAndEventFilter() throws {
        let captured = CapturedLogOutput()
        var logger = makeJSONLogger(output: captured.makeOutput())
        logger.logLevel = .notice
        logger.info("dropped")
        logger.notice("kept")

        #expect(captured.lines.count == 1)
    }

    @Test func concurrentLinesStayWhole() async throws {
        let captured = CapturedLogOutput()
        let output = captured.makeOutput(flushThreshold: 4096)
        let logger = makeJSONLogger(output: output)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<500 {
                        logger.info("event", metadata: ["task": "\(task)", "index": "\(index)", "padding": "\(String(repeating: "x", count: task * 10))"])
                    }
                }
            }
        }
        output.flush()

        let objects = try captured.jsonObjects()
        #expect(objects.count == 4000)
        for task in 0..<8 {
            let indexes = objects.filter { $0["task"] as? String == "\(task)" }.compactMap { ($0["index"] as? String).flatMap { Int($0) } }
            #expect(indexes == Array(0..<500))
        }
    }
}
