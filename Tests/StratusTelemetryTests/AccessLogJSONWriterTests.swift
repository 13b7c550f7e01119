import StratusHTTP
import StratusLog
@testable import StratusTelemetry
import Testing

/// The access log writes straight to a `JSONLogHandler` instead of building
/// metadata. These tests hold it to the bytes the handler writes for the same
/// fields logged as metadata.
@Suite struct AccessLogJSONWriterTests {
    /// Forwards to a `JSONLogHandler`, so that the access log cannot see the
    /// JSON handler and logs through `Logger` with metadata.
    struct ForwardingLogHandler: LogHandler {
        var base: JSONLogHandler

        func log(
            level: Logger.Level,
            message: Logger.Message,
            metadata: Logger.Metadata?,
            source: String,
            file: String,
            function: String,
            line: UInt
        ) {
            base.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { base[metadataKey: key] }
            set { base[metadataKey: key] = newValue }
        }

        var metadata: Logger.Metadata {
            get { base.metadata }
            set { base.metadata = newValue }
        }

        var logLevel: Logger.Level {
            get { base.logLevel }
            set { base.logLevel = newValue }
        }

        var metadataProvider: Logger.MetadataProvider? {
            get { base.metadataProvider }
            set { base.metadataProvider = newValue }
        }
    }

    /// Also treats `address` as sensitive, so that one access log field is redacted.
    static let redactor = Redactor(sensitiveWords: ["password", "secret", "token", "key", "address"])

    static let provider = Logger.MetadataProvider {
        ["tenant": "acme", "url.path": "from-provider"]
    }

    private func makeHandler(_ captured: CapturedLogOutput) -> JSONLogHandler {
        var handler = JSONLogHandler(
            label: AccessLogMiddleware.defaultLabel,
            output: captured.makeOutput(),
            redactor: Self.redactor,
            metadataProvider: Self.provider
        )
        handler.metadata = [
            "aaa": "first",
            "level": "shadow",
            "http.status": "from-handler",
            "http.route": "from-handler",
            "zzz": ["nested_token": "t", "region": "eu"],
        ]
        return handler
    }

    private func makeResponder(logger: Logger, clock: LogTestClock) -> some HTTPResponder {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger, redactor: .standard, now: { clock.now() }))
        router.get("/v1/users/:name") { _, _ -> String in
            clock.advance(by: .microseconds(12_340))
            return "hello"
        }
        router.get("/broken") { _, _ -> String in throw HTTPError(.serviceUnavailable) }
        return router.buildResponder()
    }

    /// Returns the line without its 24-byte timestamp, which differs between runs.
    private func lineWithoutTimestamp(_ captured: CapturedLogOutput) throws -> String {
        let lines = captured.lines
        try #require(lines.count == 1)
        let prefix = #"{"timestamp":""#
        try #require(lines[0].hasPrefix(prefix))
        return String(lines[0].dropFirst(prefix.utf8.count + 24))
    }

    private func send(_ target: String, to responder: some HTTPResponder) async {
        let head = HTTPRequestHead(method: .get, target: target, headers: ["X-Request-Id": "req-1"])
        var context = RequestContext(logger: Logger(label: "test") { NoOpLogHandler(label: $0) })
        context.remoteAddress = "127.0.0.1:50000"
        _ = try? await responder.respond(to: Request(head: head), context: context)
    }

    @Test(arguments: ["/v1/users/ann", "/missing/42", "/broken"])
    func lineMatchesMetadataPath(target: String) async throws {
        let direct = CapturedLogOutput()
        let directLogger = Logger(label: AccessLogMiddleware.defaultLabel) { _ in makeHandler(direct) }
        await send(target, to: makeResponder(logger: directLogger, clock: LogTestClock()))

        let forwarded = CapturedLogOutput()
        let forwardedLogger = Logger(label: AccessLogMiddleware.defaultLabel) { _ in
            ForwardingLogHandler(base: makeHandler(forwarded))
        }
        await send(target, to: makeResponder(logger: forwardedLogger, clock: LogTestClock()))

        let directLine = try lineWithoutTimestamp(direct)
        #expect(directLine == (try lineWithoutTimestamp(forwarded)))
        #expect(directLine.contains(#""client.address":"[REDACTED]""#))
        #expect(directLine.contains(#""metadata.level":"shadow""#))
        #expect(directLine.contains(#""nested_token":"[REDACTED]""#))
        #expect(!directLine.contains("from-provider"))
    }

    @Test func sinkChoosesWriterForJSONHandler() {
        let captured = CapturedLogOutput()
        let jsonLogger = Logger(label: "access") { _ in makeHandler(captured) }
        let otherLogger = Logger(label: "access") { _ in ForwardingLogHandler(base: makeHandler(captured)) }

        guard case .json = AccessLogSink(logger: jsonLogger) else {
            Issue.record("expected the JSON writer for a JSONLogHandler")
            return
        }
        guard case .logger = AccessLogSink(logger: otherLogger) else {
            Issue.record("expected the logger for another handler")
            return
        }
    }

    @Test func fieldKeysNeverCollide() {
        for field in AccessLogEntry.Field.allCases {
            #expect(!LogField.isFixed(field.key), "\(field.key)")
            #expect(!field.key.hasPrefix(LogField.collisionPrefix), "\(field.key)")
        }
    }

    @Test func levelAboveInfoWritesNothing() async {
        let captured = CapturedLogOutput()
        let logger = Logger(label: AccessLogMiddleware.defaultLabel) { _ in
            var handler = makeHandler(captured)
            handler.logLevel = .warning
            return handler
        }
        await send("/v1/users/ann", to: makeResponder(logger: logger, clock: LogTestClock()))

        #expect(captured.lines.isEmpty)
    }

    @Test func millisecondsMatchDoubleDescription() {
        let samples: [UInt64] = [0, 1, 10, 100, 999, 1_000, 1_001, 1_500, 12_000, 12_340, 123_456, 999_999_999_999, 1_000_000_000_000, 5_000_000_000_123]
        for microseconds in samples {
            var encoder = JSONLineEncoder()
            encoder.appendMilliseconds(microseconds: microseconds)
            var written = ""
            encoder.finish { written = String(decoding: $0, as: UTF8.self) }

            #expect(written == "{" + (Double(microseconds) / 1_000).description + "}\n", "\(microseconds) µs")
        }
    }
}
