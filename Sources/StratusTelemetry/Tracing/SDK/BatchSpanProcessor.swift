public import StratusLog
import StratusNet
import Synchronization

/// Queues ended spans and exports them in batches from a background task,
/// as OpenTelemetry's batch span processor.
///
/// - A batch is exported every `scheduledDelay`, or as soon as
///   `maxExportBatchSize` spans are queued. Exports run one at a time.
/// - The queue contains at most `maxQueueSize` spans. When the exporter falls
///   behind and the queue is full, a span that ends is dropped: it is counted
///   in `droppedSpanCount`, `onDrop` is called with 1, and a warning is
///   logged at most once a minute. Ending a span therefore never blocks.
/// - `forceFlush(timeout:)` and `shutdown(timeout:)` export what is queued.
///
/// Thread safety: all members may be called from any task. `onEnd` takes a
/// lock and never suspends.
public final class BatchSpanProcessor: SpanProcessor {
    public struct Configuration: Sendable {
        /// Maximum spans waiting for export. Default 2,048.
        public var maxQueueSize = 2048
        /// Maximum spans in one export. Default 512.
        public var maxExportBatchSize = 512
        /// Maximum time a span waits before its batch is exported. Default 1 s.
        public var scheduledDelay: Duration = .seconds(1)

        public init() {}
    }

    public let configuration: Configuration

    // Immutable after init.
    let exporter: any SpanExporter
    let onDrop: (@Sendable (Int) -> Void)?
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let wakeup = Wakeup()

    // Guarded by the mutex; read and written by the export loop and callers.
    let state = Mutex(State())

    struct State {
        var queue: [SpanData] = []
        var droppedSpanCount = 0
        var dropLog = LogRateLimiter(interval: .seconds(60))
        var flushWaiters: [Int: FlushWaiter] = [:]
        var nextWaiterID = 0
        /// Set by `shutdown`: spans that end later are ignored.
        var isShutdown = false
        /// Set by `shutdown` after its flush: the loop exits after its next pass.
        var stopRequested = false
        var loopEnded = false
        var loop: Task<Void, Never>?
    }

    struct FlushWaiter {
        var continuation: CheckedContinuation<Bool, Never>
        var timer: Task<Void, Never>?
    }

    /// Starts the export task.
    ///
    /// - Parameters:
    ///   - onDrop: called with the number of spans dropped because the queue
    ///     was full (1 per span), outside any lock, on the task that ended
    ///     the span. Metrics use it to count `otel_spans_dropped_total`.
    ///   - logger: where dropped spans are reported.
    public convenience init(
        exporter: any SpanExporter,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "stratus.tracing"),
        onDrop: (@Sendable (Int) -> Void)? = nil
    ) {
        self.init(exporter: exporter, configuration: configuration, logger: logger, onDrop: onDrop) { delay in
            try await Task.sleep(for: delay)
        }
    }

    /// - Parameter sleep: waits between scheduled exports; tests pass one
    ///   they control.
    init(
        exporter: any SpanExporter,
        configuration: Configuration,
        logger: Logger,
        onDrop: (@Sendable (Int) -> Void)?,
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        precondition(configuration.maxQueueSize > 0 && configuration.maxExportBatchSize > 0,
                     "BatchSpanProcessor sizes must be positive: maxQueueSize \(configuration.maxQueueSize), maxExportBatchSize \(configuration.maxExportBatchSize)")
        self.exporter = exporter
        self.configuration = configuration
        self.logger = logger
        self.onDrop = onDrop
        self.sleep = sleep
        let loop = Task.detached { [self] in await runExportLoop() }
        state.withLock { $0.loop = loop }
    }

    /// Spans dropped so far because the queue was full.
    public var droppedSpanCount: Int {
        state.withLock { $0.droppedSpanCount }
    }

    /// Spans waiting for export.
    public var queuedSpanCount: Int {
        state.withLock { $0.queue.count }
    }

    public func onEnd(_ span: SpanData) {
        let outcome = state.withLock { state -> EnqueueOutcome in
            guard !state.isShutdown else { return .ignored }
            guard state.queue.count < configuration.maxQueueSize else {
                state.droppedSpanCount += 1
                let shouldLog = state.dropLog.record(now: MonotonicClock.now()) != nil
                return .dropped(totalToLog: shouldLog ? state.droppedSpanCount : nil)
            }
            state.queue.append(span)
            return .queued(count: state.queue.count)
        }
        switch outcome {
        case .ignored:
            break
        case .queued(let count):
            if count >= configuration.maxExportBatchSize {
                wakeup.signal()
            }
        case .dropped(let totalToLog):
            onDrop?(1)
            if let totalToLog {
                logger.warning("span queue full; dropping spans", metadata: [
                    "tracing.spans_dropped_total": "\(totalToLog)",
                    "tracing.max_queue_size": "\(configuration.maxQueueSize)",
                ])
            }
        }
    }

    private enum EnqueueOutcome {
        case ignored
        case queued(count: Int)
        case dropped(totalToLog: Int?)
    }

    public func forceFlush(timeout: Duration = .seconds(30)) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { state -> Int? in
                guard !state.loopEnded else { return nil }
                let id = state.nextWaiterID
                state.nextWaiterID += 1
                state.flushWaiters[id] = FlushWaiter(continuation: continuation)
                return id
            }
            guard let id else {
                continuation.resume(returning: state.withLock { $0.queue.isEmpty })
                return
            }
            wakeup.signal()
            startFlushTimer(for: id, timeout: timeout)
        }
    }

    /// Ends the wait of flush `id` with false when `timeout` passes first.
    private func startFlushTimer(for id: Int, timeout: Duration) {
        let sleep = self.sleep
        let timer = Task { [self] in
            do {
                try await sleep(timeout)
            } catch {
                return
            }
            let waiter = state.withLock { $0.flushWaiters.removeValue(forKey: id) }
            waiter?.continuation.resume(returning: false)
        }
        let stillWaiting = state.withLock { state -> Bool in
            guard state.flushWaiters[id] != nil else { return false }
            state.flushWaiters[id]!.timer = timer
            return true
        }
        if !stillWaiting {
            timer.cancel()
        }
    }

    /// Rejects new spans, exports the queued ones within `timeout`, stops the
    /// export task and shuts the exporter down. When the timeout passes
    /// first, the remaining spans are lost and the export task is cancelled.
    /// Calling it again returns at once.
    public func shutdown(timeout: Duration = .seconds(30)) async {
        let alreadyShutDown = state.withLock { state in
            defer { state.isShutdown = true }
            return state.isShutdown
        }
        guard !alreadyShutDown else { return }
        let flushed = await forceFlush(timeout: timeout)
        let loop = state.withLock { state in
            state.stopRequested = true
            return state.loop
        }
        wakeup.signal()
        if flushed {
            await loop?.value
        } else {
            loop?.cancel()
            logger.warning("span export did not finish before the shutdown timeout; queued spans are lost", metadata: [
                "tracing.spans_queued": "\(queuedSpanCount)",
            ])
        }
        await exporter.shutdown()
    }
}
