import Synchronization

extension BatchSpanProcessor {
    /// Exports until `shutdown` requests a stop: each pass waits for the
    /// scheduled delay, a full batch or a flush, then exports every queued
    /// span in batches and resumes the flushes that were waiting when the
    /// pass began.
    func runExportLoop() async {
        // The queue and this array trade places on each pass, so each keeps
        // its capacity. Taking a copy of the queue and emptying it instead
        // would allocate a new queue of `maxQueueSize` spans per pass.
        var spans: [SpanData] = []
        while !Task.isCancelled {
            await waitForWork()
            let (waiters, stop) = state.withLock { state in
                swap(&spans, &state.queue)
                defer { state.flushWaiters.removeAll() }
                return (Array(state.flushWaiters.values), state.stopRequested)
            }
            await export(spans)
            spans.removeAll(keepingCapacity: true)
            for waiter in waiters {
                waiter.timer?.cancel()
                waiter.continuation.resume(returning: true)
            }
            if stop {
                break
            }
        }
        endLoop()
    }

    /// Returns after the scheduled delay, or earlier when `wakeup` is signalled.
    private func waitForWork() async {
        let delay = configuration.scheduledDelay
        let sleep = self.sleep
        let wakeup = self.wakeup
        let timer = Task {
            do {
                try await sleep(delay)
                wakeup.signal()
            } catch {}
        }
        await wakeup.wait()
        timer.cancel()
    }

    private func export(_ spans: [SpanData]) async {
        guard spans.count > configuration.maxExportBatchSize else {
            // A single batch goes to the exporter as it is, without a copy.
            if !spans.isEmpty {
                await exportBatch(spans)
            }
            return
        }
        var start = spans.startIndex
        while start < spans.endIndex {
            let end = min(start + configuration.maxExportBatchSize, spans.endIndex)
            await exportBatch(Array(spans[start..<end]))
            start = end
        }
    }

    private func exportBatch(_ batch: [SpanData]) async {
        do {
            try await exporter.export(batch)
        } catch {
            // The exporter logs its own failures, rate-limited.
        }
    }

    /// Marks the loop ended and releases flushes that can no longer run.
    private func endLoop() {
        let waiters = state.withLock { state in
            state.loopEnded = true
            defer { state.flushWaiters.removeAll() }
            return Array(state.flushWaiters.values)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: false)
        }
    }
}
