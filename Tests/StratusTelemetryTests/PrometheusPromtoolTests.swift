import Foundation
import StratusHTTP
import StratusTelemetry
import Testing

@Suite("promtool check metrics", .enabled(if: Promtool.isInstalled, "promtool is not installed; run make bootstrap"))
struct PrometheusPromtoolTests {
    /// Serves the metrics of a live server, after requests through the server
    /// and client middleware, and has promtool lint them.
    @Test func liveExpositionPassesLint() async throws {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        try registry.makeHistogram(label: "payload_size_bytes", help: "Payload sizes.", buckets: HistogramBuckets([10, 100])).record(42.0)
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        let client = HTTPClient(group: MetricsTestGroup.shared, middleware: [HTTPClientMetricsMiddleware(registry: registry)])
        defer { client.shutdown() }

        let exposition = try await withMetricsServer(responder: responder, group: MetricsTestGroup.shared) { port in
            for target in ["/items/1", "/items/2", "/missing", "/conflict", "/crash"] {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(target)"), collectingUpTo: 4096)
            }
            let (response, body) = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), collectingUpTo: 1 << 20)
            #expect(response.headers["Content-Type"] == PrometheusExposition.contentType)
            return String(decoding: body, as: UTF8.self)
        }
        #expect(exposition.contains("# TYPE process_cpu_seconds_total counter"))
        #expect(exposition.contains(#"http_server_requests_total{method="GET",route="/items/:id",status="200"} 2"#))
        #expect(exposition.contains(#"http_server_requests_total{method="GET",route="/crash",status="500"} 1"#))
        #expect(exposition.contains("# TYPE http_client_request_duration_seconds histogram"))

        let (status, output) = try await Promtool.checkMetrics(exposition)
        #expect(status == 0, "promtool output: \(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool output: \(output)")
    }
}
