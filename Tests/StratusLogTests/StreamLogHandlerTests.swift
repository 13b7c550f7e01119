import Synchronization
import Testing
@testable import StratusLog

@Suite struct StreamLogHandlerTests {
    @Test func lineFormat() {
        let line = StreamLogHandler.formatLine(
            timestamp: "2026-12-04T19:50:00.123Z",
            level: .info,
            label: "stratus.http",
            message: "request failed",
            metadata: ["request.id": "abc", "http.method": "GET"]
        )
        #expect(line == "2026-12-04T19:50:00.123Z info stratus.http: request failed http.method=GET request.id=abc\n")
    }

    @Test func valuesWithSpacesAreQuoted() {
        let line = StreamLogHandler.formatLine(
            timestamp: "T",
            level: .error,
            label: "l",
            message: "m",
            metadata: ["empty": "", "error": "bad \"thing\"", "pair": "a=b", "plain": "x"]
        )
        #expect(line == #"T error l: m empty="" error="bad \"thing\"" pair="a=b" plain=x"# + "\n")
    }

    @Test func messageStaysOnOneLine() {
        let line = StreamLogHandler.formatLine(
            timestamp: "T",
            level: .warning,
            label: "l",
            message: "first\nsecond\u{7}",
            metadata: ["value": "a\nb"]
        )
        #expect(line == #"T warning l: first\nsecond\u{7} value="a\nb""# + "\n")
    }

    @Test func timestampFormat() {
        #expect(UTCTimestamp.format(seconds: 0, milliseconds: 5) == "1970-01-01T00:00:00.005Z")
        #expect(UTCTimestamp.format(seconds: 1_796_413_800, milliseconds: 123) == "2026-12-04T19:50:00.123Z")
        #expect(UTCTimestamp.format(seconds: 951_868_799, milliseconds: 999) == "2000-02-29T23:59:59.999Z")
    }

    @Test func handlerWritesMergedMetadata() throws {
        let lines = Mutex<[String]>([])
        let output = LogOutput { line in lines.withLock { $0.append(line) } }
        var logger = Logger(label: "svc") { StreamLogHandler(label: $0, output: output) }
        logger[metadataKey: "service.name"] = "iam"
        logger.debug("hidden")
        logger.notice("started", metadata: ["port": "8080"])

        let written = lines.withLock { $0 }
        try #require(written.count == 1)
        let line = written[0]
        let timestamp = try #require(line.split(separator: " ").first)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(line.hasSuffix(" notice svc: started port=8080 service.name=iam\n"))
    }
}
