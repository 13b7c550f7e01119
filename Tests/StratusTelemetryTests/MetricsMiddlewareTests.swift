import StratusHTTP
@testable import StratusTelemetry
import Testing

@Suite("HTTP metrics middleware")
struct MetricsMiddlewareTests {
    @Test func routeTemplateLabel() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        _ = try await sendInMemory(.get, "/items/1", to: responder)
        _ = try await sendInMemory(.get, "/items/2?x=1", to: responder)
        _ = try await sendInMemory(.post, "/items/3", to: responder)
        let text = registry.exposition()
        #expect(sampleValue(#"http_server_requests_total{method="GET",route="/items/:id",status="200"}"#, in: text) == "2")
        #expect(sampleValue(#"http_server_requests_total{method="POST",route="/items/:id",status="201"}"#, in: text) == "1")
        #expect(sampleValue(#"http_server_request_duration_seconds_count{method="GET",route="/items/:id"}"#, in: text) == "2")
        #expect(!text.contains("/items/1"))
    }

    @Test func unmatchedRouteLabel() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        for index in 0..<5 {
            _ = try await sendInMemory(.get, "/missing/\(index)", to: responder)
        }
        _ = try await sendInMemory(.delete, "/items/1", to: responder)
        let text = registry.exposition()
        #expect(sampleValue(#"http_server_requests_total{method="GET",route="unmatched",status="404"}"#, in: text) == "5")
        #expect(sampleValue(#"http_server_requests_total{method="DELETE",route="unmatched",status="405"}"#, in: text) == "1")
    }

    @Test func unknownMethodIsOther() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        _ = try await sendInMemory(HTTPMethod(rawValue: "BREW"), "/items/1", to: responder)
        let text = registry.exposition()
        #expect(sampleValue(#"http_server_requests_total{method="_OTHER",route="unmatched",status="405"}"#, in: text) == "1")
        #expect(!text.contains("BREW"))
    }

    @Test func httpErrorCountsItsStatus() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        await #expect(throws: HTTPError.self) {
            _ = try await sendInMemory(.get, "/conflict", to: responder)
        }
        let text = registry.exposition()
        #expect(sampleValue(#"http_server_requests_total{method="GET",route="/conflict",status="409"}"#, in: text) == "1")
    }

    @Test func otherErrorCountsAs500() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        await #expect(throws: MetricsTestFailure.self) {
            _ = try await sendInMemory(.get, "/crash", to: responder)
        }
        let text = registry.exposition()
        #expect(sampleValue(#"http_server_requests_total{method="GET",route="/crash",status="500"}"#, in: text) == "1")
    }

    @Test func metricsRouteServesExposition() async throws {
        let registry = MetricsRegistry()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        _ = try await sendInMemory(.get, "/items/1", to: responder)
        let response = try await sendInMemory(.get, "/metrics", to: responder)
        guard case .bytes(let bytes) = response.body.storage else {
            Issue.record("expected a byte body")
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(sampleValue(#"http_server_requests_total{method="GET",route="/items/:id",status="200"}"#, in: text) == "1")
    }

    @Test func clientCountsStatusAndErrors() async throws {
        let registry = MetricsRegistry()
        let middleware = HTTPClientMetricsMiddleware(registry: registry)
        let request = HTTPClientRequest(url: "http://127.0.0.1:9/a")
        _ = try await middleware.execute(request) { _ in HTTPClientResponse(status: .ok) }
        _ = try await middleware.execute(request) { _ in HTTPClientResponse(status: .ok) }
        await #expect(throws: HTTPClientError.self) {
            _ = try await middleware.execute(request) { _ in throw HTTPClientError(.connectFailed, "refused") }
        }
        let text = registry.exposition()
        #expect(sampleValue(#"http_client_requests_total{host="127.0.0.1:9",method="GET",status="200"}"#, in: text) == "2")
        #expect(sampleValue(#"http_client_requests_total{host="127.0.0.1:9",method="GET",status="error"}"#, in: text) == "1")
        #expect(sampleValue(#"http_client_request_duration_seconds_count{host="127.0.0.1:9",method="GET"}"#, in: text) == "3")
    }

    @Test func clientHostLabel() {
        let cases: [(String, String)] = [
            ("http://127.0.0.1:8080/v1/users?x=1", "127.0.0.1:8080"),
            ("http://127.0.0.1/v1", "127.0.0.1:80"),
            ("http://localhost", "localhost:80"),
            ("http://[::1]:8080/", "[::1]:8080"),
            ("http://[::1]/", "[::1]:80"),
            ("http://user:secret@10.0.0.1:81/", "10.0.0.1:81"),
            ("https://10.0.0.1?x", "10.0.0.1:443"),
            ("no-scheme", "no-scheme"),
        ]
        for (url, host) in cases {
            #expect(HTTPClientMetricsMiddleware.hostLabel(url: url) == host, "\(url)")
        }
    }
}
