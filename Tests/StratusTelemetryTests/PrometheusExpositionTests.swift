@testable import StratusTelemetry
import Testing

@Suite("Prometheus exposition")
struct PrometheusExpositionTests {
    @Test func goldenExposition() throws {
        let registry = MetricsRegistry()
        let help = "Current temperature.\nSecond line \\ backslash"
        try registry.makeGauge(label: "temperature_celsius", help: help).set(-1.5)
        let sizes = try registry.makeHistogram(label: "size_bytes", help: "Sizes.", buckets: HistogramBuckets([1, 2.5]))
        for size in [0.5, 2, 7] {
            sizes.record(size)
        }
        try registry.makeCounter(label: "http_requests", dimensions: [("method", "POST"), ("code", "200")], help: "Requests.").increment()
        try registry.makeCounter(label: "http_requests", dimensions: [("method", "GET"), ("code", "200")]).increment(by: 3)

        let expected = #"""
            # HELP http_requests_total Requests.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="200",method="POST"} 1
            # HELP size_bytes Sizes.
            # TYPE size_bytes histogram
            size_bytes_bucket{le="1"} 1
            size_bytes_bucket{le="2.5"} 2
            size_bytes_bucket{le="+Inf"} 3
            size_bytes_sum 9.5
            size_bytes_count 3
            # HELP temperature_celsius Current temperature.\nSecond line \\ backslash
            # TYPE temperature_celsius gauge
            temperature_celsius -1.5

            """#
        #expect(registry.exposition() == expected)
    }

    @Test func emptyRegistryRendersNothing() {
        #expect(MetricsRegistry().exposition() == "")
    }

    @Test func familyWithoutHelp() throws {
        let registry = MetricsRegistry()
        try registry.makeGauge(label: "level").set(1)
        #expect(registry.exposition() == "# HELP level \n# TYPE level gauge\nlevel 1\n")
    }

    @Test func labelValueEscaping() throws {
        let registry = MetricsRegistry()
        try registry.makeGauge(label: "level", dimensions: [("path", "a\\b\"c\nd")]).set(1)
        #expect(registry.exposition().contains(#"level{path="a\\b\"c\nd"} 1"#))
    }

    @Test func labelValueUnicodeKept() {
        #expect(PrometheusExposition.escapeLabelValue("café ✓") == "café ✓")
    }

    @Test func helpEscapesNoQuotes() {
        #expect(PrometheusExposition.escapeHelp("a \"b\" \\ c\nd") == #"a "b" \\ c\nd"#)
    }

    @Test func valueFormatting() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (10, "10"), (-3, "-3"), (0.005, "0.005"), (2.5, "2.5"),
            (1e-7, "1e-07"), (1e20, "1e+20"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
            (123456789012, "123456789012"),
        ]
        for (value, text) in cases {
            #expect(PrometheusExposition.formatValue(value) == text, "\(value)")
        }
    }

    @Test func histogramBucketsCumulative() throws {
        let registry = MetricsRegistry()
        let histogram = try registry.makeHistogram(
            label: "latency_seconds",
            dimensions: [("route", "/a")],
            buckets: HistogramBuckets([0.1, 1, 10])
        )
        for value in [0.05, 0.05, 0.5, 5, 50] {
            histogram.record(value)
        }
        let text = registry.exposition()
        #expect(sampleValue(#"latency_seconds_bucket{route="/a",le="0.1"}"#, in: text) == "2")
        #expect(sampleValue(#"latency_seconds_bucket{route="/a",le="1"}"#, in: text) == "3")
        #expect(sampleValue(#"latency_seconds_bucket{route="/a",le="10"}"#, in: text) == "4")
        #expect(sampleValue(#"latency_seconds_bucket{route="/a",le="+Inf"}"#, in: text) == "5")
        #expect(sampleValue(#"latency_seconds_count{route="/a"}"#, in: text) == "5")
        #expect(sampleValue(#"latency_seconds_sum{route="/a"}"#, in: text) == "55.6")
    }

    @Test func histogramWithoutBuckets() throws {
        let registry = MetricsRegistry()
        try registry.makeHistogram(label: "size", buckets: HistogramBuckets([])).record(4.0)
        let text = registry.exposition()
        #expect(sampleValue(#"size_bucket{le="+Inf"}"#, in: text) == "1")
        #expect(sampleValue("size_count", in: text) == "1")
    }

    @Test func seriesSortedByLabels() throws {
        let registry = MetricsRegistry()
        for zone in ["c", "a", "b"] {
            try registry.makeGauge(label: "up_zones", dimensions: [("zone", zone)]).set(1)
        }
        let lines = registry.exposition().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == [#"up_zones{zone="a"} 1"#, #"up_zones{zone="b"} 1"#, #"up_zones{zone="c"} 1"#])
    }

    @Test func contentType() {
        #expect(PrometheusExposition.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
