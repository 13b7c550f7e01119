import StratusHTTP
import StratusKit
import StratusTelemetry
import Testing

/// A processor that drops ended spans: the tests read propagated headers only.
private struct DroppingProcessor: SpanProcessor {
    func onEnd(_ span: SpanData) {}
    func forceFlush(timeout: Duration) async -> Bool { true }
    func shutdown(timeout: Duration) async {}
}

@Suite struct ServiceClientTracingTests {
    @Test func serverSeesCallersTraceID() async throws {
        let instance = try await TestInstance.start(status: .ok)
        let tracer = OTelTracer(processor: DroppingProcessor())
        var configuration = testConfiguration()
        configuration.tracer = tracer
        let client = try makeClient([instance.endpoint], configuration: configuration)

        let parentTraceID = try await tracer.withSpan("handle request", ofKind: .server) { span in
            _ = try await client.send(ServiceRequest(path: "/v1/users"))
            return span.context.spanContext?.traceID
        }
        let received = try #require(instance.requests.first?.headers.traceContext)
        #expect(received.traceID == parentTraceID)

        client.shutdown()
        await instance.stop()
    }

    @Test func eachRetryCarriesTheSameTrace() async throws {
        let failing = try await TestInstance.start(status: .serviceUnavailable)
        let healthy = try await TestInstance.start(status: .ok)
        var configuration = testConfiguration()
        configuration.tracer = OTelTracer(processor: DroppingProcessor())
        let client = try makeClient([failing.endpoint, healthy.endpoint], configuration: configuration)

        _ = try await client.send(ServiceRequest(path: "/v1/users"))
        let first = try #require(failing.requests.first?.headers.traceContext)
        let second = try #require(healthy.requests.first?.headers.traceContext)
        #expect(first.traceID == second.traceID, "both attempts belong to one trace")
        #expect(first.spanID != second.spanID, "each attempt is its own span")

        client.shutdown()
        await failing.stop()
        await healthy.stop()
    }
}
