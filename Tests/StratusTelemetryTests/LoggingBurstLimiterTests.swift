import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingBurstLimiterTests {
    private func makeLimiter(
        _ clock: LogTestClock,
        maxEventsPerWindow: Int = 3,
        maxTrackedEvents: Int = 16
    ) -> LogBurstLimiter {
        let configuration = LogBurstLimiter.Configuration(
            maxEventsPerWindow: maxEventsPerWindow,
            window: .seconds(1),
            maxTrackedEvents: maxTrackedEvents
        )
        return LogBurstLimiter(configuration: configuration, now: { clock.now() })
    }

    private func admit(_ limiter: LogBurstLimiter, _ message: String, level: Logger.Level = .error, label: String = "svc")
        -> LogBurstLimiter.Admission
    {
        limiter.admit(level: level, label: label, message: message, source: "Tests")
    }

    @Test func burstIsSuppressed() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        let allowed = (0..<10).map { _ in admit(limiter, "connection refused").isAllowed }
        #expect(allowed == [true, true, true] + Array(repeating: false, count: 7))
    }

    @Test func summaryCountIsExact() throws {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        for _ in 0..<1237 {
            _ = admit(limiter, "connection refused")
        }
        clock.advance(by: .seconds(1))
        let next = admit(limiter, "connection refused")

        #expect(next.isAllowed)
        try #require(next.summaries.count == 1)
        let summary = next.summaries[0]
        #expect(summary.suppressedCount == 1234)
        #expect(summary.message == "connection refused")
        #expect(summary.level == .error)
        #expect(summary.label == "svc")
    }

    @Test func summaryAfterBurstStops() throws {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        for _ in 0..<5 {
            _ = admit(limiter, "connection refused")
        }
        clock.advance(by: .seconds(2))
        let other = admit(limiter, "something else")

        #expect(other.isAllowed)
        try #require(other.summaries.count == 1)
        #expect(other.summaries[0].suppressedCount == 2)
        #expect(other.summaries[0].message == "connection refused")
    }

    @Test func summaryReportedOnce() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        for _ in 0..<5 {
            _ = admit(limiter, "connection refused")
        }
        clock.advance(by: .seconds(2))
        let first = admit(limiter, "connection refused")
        let second = admit(limiter, "connection refused")
        clock.advance(by: .seconds(2))
        let later = admit(limiter, "other")

        #expect(first.summaries.count == 1)
        #expect(second.summaries.isEmpty)
        #expect(later.summaries.isEmpty)
    }

    @Test func windowWithoutSuppressionHasNoSummary() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        _ = admit(limiter, "started")
        clock.advance(by: .seconds(5))
        #expect(admit(limiter, "started").summaries.isEmpty)
    }

    @Test func differentMessageNotSuppressed() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        for _ in 0..<10 {
            _ = admit(limiter, "connection refused")
        }
        #expect(admit(limiter, "timed out").isAllowed)
        #expect(admit(limiter, "connection refused", level: .warning).isAllowed)
        #expect(admit(limiter, "connection refused", label: "other").isAllowed)
    }

    @Test func exemptLabelNeverSuppressed() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock)
        let allowed = (0..<10).map { _ in admit(limiter, "request", level: .info, label: AccessLogMiddleware.defaultLabel).isAllowed }
        #expect(allowed.allSatisfy { $0 })
        #expect(limiter.trackedEventCount == 0)
    }

    @Test func memoryIsBounded() {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock, maxTrackedEvents: 4)
        for index in 0..<100 {
            #expect(admit(limiter, "event \(index)").isAllowed)
        }
        #expect(limiter.trackedEventCount == 4)

        clock.advance(by: .seconds(1))
        _ = admit(limiter, "after the window")
        #expect(limiter.trackedEventCount == 1)
    }

    @Test func handlerWritesSummaryLine() throws {
        let clock = LogTestClock()
        let limiter = makeLimiter(clock, maxEventsPerWindow: 2)
        let captured = CapturedLogOutput()
        let logger = makeJSONLogger(label: "svc", output: captured.makeOutput(), burstLimiter: limiter)
        for _ in 0..<5 {
            logger.error("connection refused", metadata: ["upstream.endpoint": "10.0.0.7:8080"])
        }
        clock.advance(by: .seconds(1))
        logger.error("connection refused", metadata: ["upstream.endpoint": "10.0.0.7:8080"])

        let objects = try captured.jsonObjects()
        try #require(objects.count == 4)
        #expect(objects[2]["message"] as? String == "connection refused")
        #expect(objects[2]["log.suppressed"] as? Int == 3)
        #expect(objects[2]["level"] as? String == "error")
        #expect(objects[3]["log.suppressed"] == nil)
        #expect(objects[3]["upstream.endpoint"] as? String == "10.0.0.7:8080")
    }
}
