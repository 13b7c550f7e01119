import Foundation
import StratusHTTP
@testable import StratusTelemetry
import Testing

/// One trace across two services over sockets: a request to service A,
/// whose handler calls service B through a traced client. Both services
/// export to one OTLP test receiver.
@Suite struct TracingPropagationTests {
    private struct ExportedSpan {
        var service: String
        var name: String
        var kind: Int
        var traceID: String
        var spanID: String
        var parentSpanID: String
    }

    private func makeTracer(service: String, receiver: OTLPTestReceiver, client: HTTPClient) -> (OTelTracer, BatchSpanProcessor) {
        let exporter = OTLPHTTPSpanExporter(
            resource: TracingResource(serviceName: service),
            configuration: OTLPHTTPSpanExporter.Configuration(endpoint: receiver.endpoint, encoding: .json),
            client: client,
            logger: tracingTestLogger
        )
        let processor = BatchSpanProcessor(exporter: exporter, logger: tracingTestLogger)
        return (OTelTracer(processor: processor), processor)
    }

    @Test func traceSpansTwoServices() async throws {
        let receiver = try await OTLPTestReceiver.start()
        let exportClient = HTTPClient(group: TracingTestGroup.shared)
        let (tracerA, processorA) = makeTracer(service: "service-a", receiver: receiver, client: exportClient)
        let (tracerB, processorB) = makeTracer(service: "service-b", receiver: receiver, client: exportClient)

        let routerB = Router()
        routerB.add(middleware: TracingMiddleware(tracer: tracerB))
        routerB.get("/v1/users/:name") { _, context in "user \(context.parameters["name"] ?? "")" }
        let (serverB, portB) = try await startTracingTestServer(routerB.buildResponder())

        let tracedClient = HTTPClient(group: TracingTestGroup.shared, middleware: [HTTPClientTracingMiddleware(tracer: tracerA)])
        let routerA = Router()
        routerA.add(middleware: TracingMiddleware(tracer: tracerA))
        routerA.get("/v1/profiles/:name") { _, context in
            let name = context.parameters["name"] ?? ""
            let (_, body) = try await tracedClient.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(portB)/v1/users/\(name)"),
                collectingUpTo: 1 << 16
            )
            return "profile of " + String(decoding: body, as: UTF8.self)
        }
        let (serverA, portA) = try await startTracingTestServer(routerA.buildResponder())

        let plainClient = HTTPClient(group: TracingTestGroup.shared)
        let (response, body) = try await plainClient.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(portA)/v1/profiles/alice"),
            collectingUpTo: 1 << 16
        )
        #expect(response.status == .ok)
        #expect(String(decoding: body, as: UTF8.self) == "profile of user alice")

        #expect(await processorA.forceFlush(timeout: .seconds(10)))
        #expect(await processorB.forceFlush(timeout: .seconds(10)))
        plainClient.shutdown()
        tracedClient.shutdown()
        await serverA.shutdown(gracePeriod: .seconds(2))
        await serverB.shutdown(gracePeriod: .seconds(2))
        await processorA.shutdown(timeout: .seconds(5))
        await processorB.shutdown(timeout: .seconds(5))
        exportClient.shutdown()
        await receiver.stop()

        let spans = try receiver.bodies.flatMap(parseSpans)
        #expect(spans.count == 3)
        #expect(Set(spans.map(\.traceID)).count == 1)
        let serverSpanA = try #require(spans.first { $0.service == "service-a" && $0.kind == 2 })
        let clientSpan = try #require(spans.first { $0.service == "service-a" && $0.kind == 3 })
        let serverSpanB = try #require(spans.first { $0.service == "service-b" && $0.kind == 2 })
        #expect(serverSpanA.parentSpanID == "")
        #expect(clientSpan.parentSpanID == serverSpanA.spanID)
        #expect(serverSpanB.parentSpanID == clientSpan.spanID)
        #expect(serverSpanA.name == "GET /v1/profiles/:name")
        #expect(clientSpan.name == "GET")
        #expect(serverSpanB.name == "GET /v1/users/:name")
    }

    /// Reads the spans of one OTLP/JSON request body.
    private func parseSpans(_ body: [UInt8]) throws -> [ExportedSpan] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        var spans: [ExportedSpan] = []
        for resourceSpans in document["resourceSpans"] as? [[String: Any]] ?? [] {
            let resource = resourceSpans["resource"] as? [String: Any]
            let attributes = resource?["attributes"] as? [[String: Any]] ?? []
            let service = attributes.first { $0["key"] as? String == "service.name" }
                .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? ""
            for scopeSpans in resourceSpans["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scopeSpans["spans"] as? [[String: Any]] ?? [] {
                    spans.append(ExportedSpan(
                        service: service,
                        name: span["name"] as? String ?? "",
                        kind: span["kind"] as? Int ?? 0,
                        traceID: span["traceId"] as? String ?? "",
                        spanID: span["spanId"] as? String ?? "",
                        parentSpanID: span["parentSpanId"] as? String ?? ""
                    ))
                }
            }
        }
        return spans
    }
}
