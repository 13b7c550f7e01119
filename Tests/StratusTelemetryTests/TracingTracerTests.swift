@testable import StratusTelemetry
import Testing

@Suite struct TracingTracerTests {
    @Test func unsampledSpanPropagatesFlagZero() throws {
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(sampler: ParentBasedSampler(root: AlwaysOffSampler()), processor: processor)
        let span = tracer.startSpan("op", context: .topLevel, ofKind: .server)
        span.attributes["key"] = "value"
        span.end()
        let context = try #require(span.context.spanContext)
        #expect(!span.isRecording)
        #expect(span.attributes.isEmpty)
        #expect(!context.isSampled)
        #expect(processor.endedSpans.isEmpty)
    }

    @Test func childInheritsTraceID() throws {
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        let parent = tracer.startSpan("parent", context: .topLevel, ofKind: .server)
        let child = tracer.startSpan("child", context: parent.context, ofKind: .client)
        child.end()
        parent.end()
        let ended = processor.endedSpans
        #expect(ended.map(\.operationName) == ["child", "parent"])
        #expect(ended[0].context.traceID == ended[1].context.traceID)
        #expect(ended[0].parentSpanID == ended[1].context.spanID)
        #expect(ended[1].parentSpanID == nil)
    }

    @Test func withSpanSetsCurrentContext() async throws {
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        let seen = await tracer.withSpan("op") { (span: any Span) async -> Bool in
            await Task.yield()
            return ServiceContext.current?.spanContext == span.context.spanContext
        }
        #expect(seen)
        #expect(processor.endedSpans.count == 1)
    }

    @Test func withSpanRecordsError() async throws {
        struct Failure: Error {}
        let processor = SimpleTestProcessor()
        let tracer = OTelTracer(processor: processor)
        await #expect(throws: Failure.self) {
            try await tracer.withSpan("op") { (_: any Span) async throws -> Void in throw Failure() }
        }
        let span = try #require(processor.endedSpans.first)
        #expect(span.status.code == .error)
        #expect(span.events.map(\.name) == ["exception"])
    }

    @Test func endTwiceExportsOnce() {
        let processor = SimpleTestProcessor()
        let span = OTelTracer(processor: processor).startSpan("op", context: .topLevel)
        span.end()
        span.end()
        span.attributes["late"] = 1
        #expect(processor.endedSpans.count == 1)
        #expect(processor.endedSpans.first?.attributes.isEmpty == true)
    }

    @Test func limitsCountDrops() throws {
        var limits = SpanLimits()
        limits.maxEvents = 2
        let processor = SimpleTestProcessor()
        let span = OTelTracer(processor: processor, limits: limits).startSpan("op", context: .topLevel)
        for index in 0..<5 {
            span.addEvent(SpanEvent(name: "event \(index)"))
        }
        span.end()
        let ended = try #require(processor.endedSpans.first)
        #expect(ended.events.count == 2)
        #expect(ended.droppedEventCount == 3)
    }

    @Test func okStatusIsFinal() throws {
        let processor = SimpleTestProcessor()
        let span = OTelTracer(processor: processor).startSpan("op", context: .topLevel)
        span.setStatus(.ok)
        span.setStatus(.error("late"))
        span.end()
        #expect(try #require(processor.endedSpans.first).status.code == .ok)
    }

    @Test func noOpTracerKeepsContext() {
        let span = NoOpTracer().startSpan("op", context: .topLevel)
        #expect(span.context.spanContext == nil)
        #expect(!span.isRecording)
    }
}
