@testable import StratusTelemetry
import Synchronization
import Testing

@Suite struct TracingBatchProcessorTests {
    private static let never = Duration.seconds(3600)

    private func configuration(queue: Int, batch: Int) -> BatchSpanProcessor.Configuration {
        var configuration = BatchSpanProcessor.Configuration()
        configuration.maxQueueSize = queue
        configuration.maxExportBatchSize = batch
        configuration.scheduledDelay = Self.never
        return configuration
    }

    @Test func defaults() {
        let configuration = BatchSpanProcessor.Configuration()
        #expect(configuration.maxQueueSize == 2048)
        #expect(configuration.maxExportBatchSize == 512)
        #expect(configuration.scheduledDelay == .seconds(1))
    }

    @Test func fullQueueDropsAndCounts() async throws {
        let exporter = BlockingSpanExporter()
        let reported = Mutex(0)
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 4, batch: 2),
            logger: tracingTestLogger,
            onDrop: { count in reported.withLock { $0 += count } },
            sleep: sleepUntilCancelled
        )
        processor.onEnd(makeTestSpanData(index: 0))
        processor.onEnd(makeTestSpanData(index: 1))
        let started: Void? = await firstElement(of: exporter.firstExportStarted)
        try #require(started != nil, "the first export never started")

        for index in 2..<9 {
            processor.onEnd(makeTestSpanData(index: index))
        }
        #expect(processor.queuedSpanCount == 4)
        #expect(processor.droppedSpanCount == 3)
        #expect(reported.withLock { $0 } == 3)

        exporter.release()
        #expect(await processor.forceFlush(timeout: .seconds(10)))
        #expect(exporter.batches.map(\.count) == [2, 2, 2])
        #expect(exporter.batches.flatMap { $0 }.map(\.context.spanID.value) == [1, 2, 3, 4, 5, 6])
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func batchesNeverExceedMax() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 2048, batch: 512),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        for index in 0..<1300 {
            processor.onEnd(makeTestSpanData(index: index))
        }
        #expect(await processor.forceFlush(timeout: .seconds(10)))
        let sizes = exporter.batches.map(\.count)
        #expect(sizes.allSatisfy { $0 <= 512 }, "batch sizes \(sizes)")
        #expect(sizes.reduce(0, +) == 1300)
        #expect(sizes.count >= 3)
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func passesKeepEarlierBatchesIntact() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 100, batch: 10),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        // Three passes, so the queue's storage is reused while the exporter
        // still keeps the batches of the earlier passes.
        for pass in 0..<3 {
            for index in 0..<4 {
                processor.onEnd(makeTestSpanData(index: pass * 4 + index))
            }
            #expect(await processor.forceFlush(timeout: .seconds(10)))
        }
        #expect(exporter.batches.map(\.count) == [4, 4, 4])
        #expect(exporter.batches.flatMap { $0 }.map(\.context.spanID.value) == Array(1...12))
        #expect(processor.queuedSpanCount == 0)
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func fullBatchExportsWithoutFlush() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 100, batch: 3),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        for index in 0..<3 {
            processor.onEnd(makeTestSpanData(index: index))
        }
        #expect(await firstElement(of: exporter.exported) == 3)
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func scheduledDelayExportsPartialBatch() async {
        let exporter = RecordingSpanExporter()
        var configuration = configuration(queue: 100, batch: 50)
        configuration.scheduledDelay = .milliseconds(20)
        let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration, logger: tracingTestLogger)
        processor.onEnd(makeTestSpanData())
        #expect(await firstElement(of: exporter.exported) == 1)
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func forceFlushExportsPartialBatch() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 100, batch: 50),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        for index in 0..<5 {
            processor.onEnd(makeTestSpanData(index: index))
        }
        #expect(await processor.forceFlush(timeout: .seconds(10)))
        #expect(exporter.batches.map(\.count) == [5])
        #expect(processor.queuedSpanCount == 0)
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func forceFlushTimesOut() async throws {
        let exporter = BlockingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 10, batch: 1),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepFiring(.seconds(5))
        )
        processor.onEnd(makeTestSpanData())
        let started: Void? = await firstElement(of: exporter.firstExportStarted)
        try #require(started != nil, "the first export never started")
        #expect(await processor.forceFlush(timeout: .seconds(5)) == false)
        exporter.release()
        #expect(await processor.forceFlush(timeout: .seconds(10)))
        await processor.shutdown(timeout: .seconds(10))
    }

    @Test func shutdownExportsQueued() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 100, batch: 50),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        for index in 0..<3 {
            processor.onEnd(makeTestSpanData(index: index))
        }
        await processor.shutdown(timeout: .seconds(10))
        #expect(exporter.spans.count == 3)
    }

    @Test func shutdownIgnoresLaterSpans() async {
        let exporter = RecordingSpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: configuration(queue: 100, batch: 50),
            logger: tracingTestLogger,
            onDrop: nil,
            sleep: sleepUntilCancelled
        )
        await processor.shutdown(timeout: .seconds(10))
        processor.onEnd(makeTestSpanData())
        #expect(processor.queuedSpanCount == 0)
        #expect(processor.droppedSpanCount == 0)
        #expect(await processor.forceFlush(timeout: .seconds(1)))
        await processor.shutdown(timeout: .seconds(1))
        #expect(exporter.spans.isEmpty)
    }
}
