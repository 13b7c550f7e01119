import Foundation
import StratusHTTP
import StratusTelemetry
import Testing

@Suite("Scraped by Prometheus", .enabled(if: PrometheusServer.isInstalled, "prometheus is not installed; run make bootstrap"))
struct PrometheusServerTests {
    /// Starts Prometheus scraping a live server every second and waits, for
    /// at most 30 seconds, until its query API returns our series.
    @Test func prometheusScrapesServer() async throws {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        let responder = makeMetricsRouter(registry: registry).buildResponder()
        let client = HTTPClient(group: MetricsTestGroup.shared)
        defer { client.shutdown() }

        try await withMetricsServer(responder: responder, group: MetricsTestGroup.shared) { port in
            for id in 1...3 {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/items/\(id)"), collectingUpTo: 4096)
            }
            let prometheus = try PrometheusServer(scraping: "127.0.0.1:\(port)", job: "stratus")
            do {
                let query = PrometheusQuery(client: client, port: prometheus.port)
                let requests = try await query.waitForValue(#"http_server_requests_total{route="/items/:id",status="200"}"#, equalTo: "3")
                let up = try await query.waitForValue(#"up{job="stratus"}"#, equalTo: "1")
                let fds = try await query.waitForValue("process_open_fds > 0")
                #expect(requests == "3", "prometheus log: \(prometheus.log)")
                #expect(up == "1")
                #expect(fds != nil)
            } catch {
                await prometheus.stop()
                throw error
            }
            await prometheus.stop()
        }
    }
}

/// The instant-query API of a Prometheus server on 127.0.0.1.
struct PrometheusQuery {
    let client: HTTPClient
    let port: Int

    /// Polls `query` every 200 ms for at most 30 s, until its first result's
    /// value equals `expected` (or, without `expected`, until it has a
    /// result). Returns the last value seen, or nil when there was none.
    func waitForValue(_ query: String, equalTo expected: String? = nil) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(30)
        var last: String?
        while ContinuousClock.now < deadline {
            last = try? await value(of: query)
            if let last, expected == nil || last == expected {
                return last
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// Returns the value of the first series the query returns, or nil.
    func value(of query: String) async throws -> String? {
        let url = "http://127.0.0.1:\(port)/api/v1/query?query=\(percentEncode(query))"
        let (_, body) = try await client.execute(HTTPClientRequest(url: url), collectingUpTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let data = json?["data"] as? [String: Any]
        let results = data?["result"] as? [[String: Any]]
        let sample = results?.first?["value"] as? [Any]
        return sample?.last as? String
    }

    /// Percent-encodes every byte but RFC 3986's unreserved characters.
    private func percentEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            encoded += isUnreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return encoded
    }
}
