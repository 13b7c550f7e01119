@testable import StratusTelemetry
import Testing

@Suite("Metrics registry")
struct MetricsRegistryTests {
    /// Returns the error `body` throws, or nil.
    private func error(_ body: () throws -> Void) -> MetricsError? {
        do {
            try body()
            return nil
        } catch {
            return error as? MetricsError
        }
    }

    @Test func invalidMetricNameRejected() {
        let failure = error { _ = try MetricsRegistry().makeCounter(label: "http-requests") }
        #expect(failure?.code == .invalidMetricName)
        #expect(failure?.message.contains("\"http-requests\"") == true)
    }

    @Test func metricNameRules() {
        let registry = MetricsRegistry()
        for valid in ["a", "_a", ":a", "a:b_c9", "A"] {
            #expect(error { _ = try registry.makeGauge(label: valid) } == nil, "\(valid)")
        }
        for invalid in ["", "9a", "a b", "a-b", "é", "a.b"] {
            #expect(error { _ = try registry.makeGauge(label: invalid) }?.code == .invalidMetricName, "\(invalid)")
        }
    }

    @Test func invalidLabelNameRejected() {
        let failure = error { _ = try MetricsRegistry().makeCounter(label: "jobs", dimensions: [("queue:name", "a")]) }
        #expect(failure?.code == .invalidLabelName)
        #expect(failure?.message.contains("\"queue:name\"") == true)
    }

    @Test func reservedLabelPrefixRejected() {
        let failure = error { _ = try MetricsRegistry().makeCounter(label: "jobs", dimensions: [("__name", "a")]) }
        #expect(failure?.code == .invalidLabelName)
        #expect(failure?.message.contains("\"__name\"") == true)
    }

    @Test func duplicateLabelRejected() {
        let failure = error { _ = try MetricsRegistry().makeCounter(label: "jobs", dimensions: [("a", "1"), ("a", "2")]) }
        #expect(failure?.code == .duplicateLabelName)
        #expect(failure?.message.contains("\"a\"") == true)
    }

    @Test func histogramLeLabelRejected() {
        let failure = error { _ = try MetricsRegistry().makeHistogram(label: "size", dimensions: [("le", "1")]) }
        #expect(failure?.code == .invalidLabelName)
        #expect(failure?.message.contains("\"le\"") == true)
    }

    @Test func typeConflictRejected() throws {
        let registry = MetricsRegistry()
        _ = try registry.makeCounter(label: "jobs_total")
        let failure = error { _ = try registry.makeGauge(label: "jobs_total") }
        #expect(failure?.code == .nameConflict)
        #expect(failure?.message.contains("\"jobs_total\" is already registered as a counter") == true)
    }

    @Test func bucketConflictRejected() throws {
        let registry = MetricsRegistry()
        _ = try registry.makeHistogram(label: "size", buckets: HistogramBuckets([1, 2]))
        let failure = error { _ = try registry.makeHistogram(label: "size", buckets: HistogramBuckets([1, 3])) }
        #expect(failure?.code == .bucketConflict)
    }

    @Test func histogramSampleNamesReserved() throws {
        let registry = MetricsRegistry()
        _ = try registry.makeHistogram(label: "size")
        let failure = error { _ = try registry.makeGauge(label: "size_count") }
        #expect(failure?.code == .nameConflict)
        #expect(failure?.message.contains("\"size_count\"") == true)
    }

    @Test func invalidBucketsRejected() {
        #expect(error { _ = try HistogramBuckets([1, 1]) }?.code == .invalidBuckets)
        #expect(error { _ = try HistogramBuckets([2, 1]) }?.code == .invalidBuckets)
        #expect(error { _ = try HistogramBuckets([1, .infinity]) }?.code == .invalidBuckets)
        #expect(error { _ = try HistogramBuckets([.nan]) }?.code == .invalidBuckets)
    }

    @Test func bucketHelpers() throws {
        #expect(try HistogramBuckets.exponential(start: 1, factor: 2, count: 4).upperBounds == [1, 2, 4, 8])
        #expect(try HistogramBuckets.linear(start: 0.5, width: 0.5, count: 3).upperBounds == [0.5, 1, 1.5])
        #expect(HistogramBuckets.durationSeconds.upperBounds.first == 0.005)
        #expect(HistogramBuckets.durationSeconds.upperBounds.last == 10)
    }

    @Test func labelSetLimitDropsExtraSets() throws {
        let registry = MetricsRegistry(maxLabelSetsPerMetric: 2)
        for user in ["a", "b", "c", "d"] {
            try registry.makeCounter(label: "logins_total", dimensions: [("user", user)]).increment()
        }
        let text = registry.exposition()
        #expect(sampleValue(#"logins_total{user="a"}"#, in: text) == "1")
        #expect(sampleValue(#"logins_total{user="b"}"#, in: text) == "1")
        #expect(sampleValue(#"logins_total{user="c"}"#, in: text) == nil)
        #expect(sampleValue(#"stratus_metrics_dropped_label_sets_total{metric="logins_total"}"#, in: text) == "2")
    }

    @Test func storedSetsStayUsableAtLimit() throws {
        let registry = MetricsRegistry(maxLabelSetsPerMetric: 1)
        let stored = try registry.makeCounter(label: "logins_total", dimensions: [("user", "a")])
        let dropped = try registry.makeCounter(label: "logins_total", dimensions: [("user", "b")])
        dropped.increment()
        try registry.makeCounter(label: "logins_total", dimensions: [("user", "a")]).increment()
        #expect(stored.value == 1)
        #expect(dropped.value == 1)
    }

    @Test func callbackCounterReadAtScrape() throws {
        let registry = MetricsRegistry()
        let source = Gauge(label: "source", registry: MetricsRegistry())
        try registry.makeCounter(label: "spans_dropped", help: "Dropped spans.") { source.value }
        source.set(3)
        #expect(sampleValue("spans_dropped_total", in: registry.exposition()) == "3")
        source.set(5)
        #expect(sampleValue("spans_dropped_total", in: registry.exposition()) == "5")
    }

    @Test func callbackNameConflictRejected() throws {
        let registry = MetricsRegistry()
        _ = try registry.makeGauge(label: "queue_length")
        let failure = error { try registry.makeGauge(label: "queue_length") { 1 } }
        #expect(failure?.code == .nameConflict)
    }

    @Test func collectorAddsSamples() {
        let registry = MetricsRegistry()
        registry.registerCollector { collection in
            try collection.gauge("queue_length", help: "Queued items.", dimensions: [("queue", "mail")], value: 4)
            try collection.counter("queue_processed", value: 10)
        }
        let text = registry.exposition()
        #expect(sampleValue(#"queue_length{queue="mail"}"#, in: text) == "4")
        #expect(sampleValue("queue_processed_total", in: text) == "10")
        #expect(text.contains("# TYPE queue_processed_total counter\n"))
    }

    @Test func failingCollectorCounted() throws {
        let registry = MetricsRegistry()
        _ = try registry.makeGauge(label: "taken")
        registry.registerCollector { collection in
            try collection.gauge("bad name", value: 1)
        }
        registry.registerCollector { collection in
            try collection.gauge("taken", value: 1)
        }
        let text = registry.exposition()
        #expect(sampleValue("stratus_metrics_collector_failures_total", in: text) == "2")
        #expect(sampleValue("taken", in: text) == "0")
    }

    @Test func failureCounterAbsentWithoutFailures() {
        #expect(!MetricsRegistry().exposition().contains("stratus_metrics_collector_failures_total"))
    }
}
