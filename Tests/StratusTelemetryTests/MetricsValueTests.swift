@testable import StratusTelemetry
import Testing

@Suite("Metric values")
struct MetricsValueTests {
    @Test func counterIncrements() throws {
        let registry = MetricsRegistry()
        let counter = try registry.makeCounter(label: "jobs_total")
        counter.increment()
        counter.increment(by: 4)
        #expect(counter.value == 5)
    }

    @Test func counterReset() throws {
        let counter = try MetricsRegistry().makeCounter(label: "jobs_total")
        counter.increment(by: 3)
        counter.reset()
        #expect(counter.value == 0)
    }

    @Test func sameLabelsShareStorage() throws {
        let registry = MetricsRegistry()
        let first = Counter(label: "jobs_total", dimensions: [("queue", "a"), ("kind", "b")], registry: registry)
        let second = Counter(label: "jobs_total", dimensions: [("kind", "b"), ("queue", "a")], registry: registry)
        first.increment()
        second.increment()
        #expect(first.value == 2)
        #expect(first.storage === second.storage)
    }

    @Test func otherLabelsOtherStorage() throws {
        let registry = MetricsRegistry()
        let first = try registry.makeCounter(label: "jobs_total", dimensions: [("queue", "a")])
        let second = try registry.makeCounter(label: "jobs_total", dimensions: [("queue", "b")])
        first.increment()
        #expect(second.value == 0)
    }

    @Test func counterGetsTotalSuffix() throws {
        let registry = MetricsRegistry()
        let short = try registry.makeCounter(label: "jobs")
        let long = try registry.makeCounter(label: "jobs_total")
        short.increment()
        #expect(long.value == 1)
        #expect(sampleValue("jobs_total", in: registry.exposition()) == "1")
    }

    @Test func gaugeSetsAndMoves() throws {
        let gauge = try MetricsRegistry().makeGauge(label: "queue_length")
        gauge.set(10)
        gauge.increment(by: 2.5)
        gauge.decrement()
        #expect(gauge.value == 11.5)
        gauge.record(-3)
        #expect(gauge.value == -3)
    }

    @Test func histogramCountAndSum() throws {
        let histogram = try MetricsRegistry().makeHistogram(label: "size_bytes", buckets: HistogramBuckets([10, 100]))
        histogram.record(5.0)
        histogram.record(50.0)
        histogram.record(Int64(500))
        #expect(histogram.count == 3)
        #expect(histogram.sum == 555)
        #expect(histogram.storage.cumulativeCounts() == [1, 2, 3])
    }

    @Test func histogramBoundIsInclusive() throws {
        let histogram = try MetricsRegistry().makeHistogram(label: "size_bytes", buckets: HistogramBuckets([10, 100]))
        histogram.record(10.0)
        histogram.record(100.0)
        histogram.record(Double.nan)
        #expect(histogram.storage.cumulativeCounts() == [1, 2, 3])
    }

    @Test func timerRecordsSeconds() throws {
        let timer = try MetricsRegistry().makeTimer(label: "job_duration_seconds")
        timer.recordNanoseconds(1_500_000_000)
        timer.recordMilliseconds(250)
        timer.recordSeconds(0.25)
        timer.record(.seconds(1))
        #expect(timer.count == 4)
        #expect(timer.sumSeconds == 3)
    }

    @Test func timerMeasures() async throws {
        let timer = try MetricsRegistry().makeTimer(label: "job_duration_seconds")
        let result = timer.measure { 42 }
        let asyncResult = await timer.measure { () async -> Int in
            await Task.yield()
            return 7
        }
        #expect(result == 42)
        #expect(asyncResult == 7)
        #expect(timer.count == 2)
    }

    @Test func timerMeasuresThrowingBody() throws {
        let timer = try MetricsRegistry().makeTimer(label: "job_duration_seconds")
        #expect(throws: MetricsTestFailure.self) {
            try timer.measure { () throws(MetricsTestFailure) in throw MetricsTestFailure() }
        }
        #expect(timer.count == 1)
    }

    @Test func concurrentUpdatesAreExact() async throws {
        let registry = MetricsRegistry()
        let tasks = 8
        let perTask = 10_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    let counter = Counter(label: "hits_total", registry: registry)
                    let gauge = Gauge(label: "level", registry: registry)
                    let histogram = Histogram(label: "latency_seconds", registry: registry)
                    for _ in 0..<perTask {
                        counter.increment()
                        gauge.increment()
                        histogram.record(0.5)
                    }
                }
            }
        }
        let total = tasks * perTask
        #expect(Counter(label: "hits_total", registry: registry).value == Int64(total))
        #expect(Gauge(label: "level", registry: registry).value == Double(total))
        #expect(Histogram(label: "latency_seconds", registry: registry).count == UInt64(total))
        #expect(Histogram(label: "latency_seconds", registry: registry).sum == Double(total) * 0.5)
    }
}
