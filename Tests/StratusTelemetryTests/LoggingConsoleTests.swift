import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingConsoleTests {
    private func makeLogger(_ captured: CapturedLogOutput, useColor: Bool) -> Logger {
        let output = captured.makeOutput()
        return Logger(label: "svc") { ConsoleLogHandler(label: $0, output: output, useColor: useColor) }
    }

    @Test func plainLineShape() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: false)
        logger.warning("disk almost full", metadata: ["disk.free": "2 GiB", "disk.path": "/var"])

        let line = try #require(captured.lines.first)
        let timestamp = try #require(line.split(separator: " ").first)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(line.hasSuffix(#" WARNING  svc: disk almost full disk.free="2 GiB" disk.path=/var"#))
    }

    @Test func noEscapesWithoutColor() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: false)
        logger.error("failed", metadata: ["error": "refused"])

        let line = try #require(captured.lines.first)
        #expect(!line.contains("\u{1B}"))
    }

    @Test func colorsLevelAndKeys() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: true)
        logger.error("failed", metadata: ["error": "refused"])

        let line = try #require(captured.lines.first)
        #expect(line.contains("\u{1B}[31mERROR\u{1B}[0m"))
        #expect(line.contains("\u{1B}[2merror=\u{1B}[0mrefused"))
    }

    @Test func messageStaysOnOneLine() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: false)
        logger.info("first\nsecond")

        #expect(captured.lines.count == 1)
        #expect(captured.lines.first?.hasSuffix(#"svc: first\nsecond"#) == true)
    }

    @Test func traceIDsWithActiveSpan() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: false)
        var context = ServiceContext.topLevel
        context.spanContext = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(value: 3))
        withServiceContext(context) {
            logger.info("inside")
        }

        let line = try #require(captured.lines.first)
        #expect(line.hasSuffix(" trace_id=00000000000000010000000000000002 span_id=0000000000000003"))
    }

    @Test func secretsAreRedacted() throws {
        let captured = CapturedLogOutput()
        let logger = makeLogger(captured, useColor: false)
        logger.info("login", metadata: ["user.password": "hunter2"])

        let line = try #require(captured.lines.first)
        #expect(line.hasSuffix(" user.password=[REDACTED]"))
    }
}
