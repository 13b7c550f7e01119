import Synchronization

extension BatchSpanProcessor {
    /// Exports until `shutdown` requests a stop: each pass waits for the
    /// scheduled delay, a full batch or a flush, then exports every queued
    /// span in batches and resumes the flushes that were waiting when the
    /// pass began.
    func runExportLoop() async {
        while !Task.isCancelled {
            await waitForWork()
            let (spans, waiters, stop) = state.withLock { state in
                defer {
                    state.queue.removeAll(keepingCapacity: true)
                    state.flushWaiters.removeAll()
                }
                return (state.queue, Array(state.flushWaiters.values), state.stopRequested)
            }
            await export(spans)
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
        var start = spans.startIndex
        while start < spans.endIndex {
            let end = min(start + configuration.maxExportBatchSize, spans.endIndex)
            do {
                try await exporter.export(Array(spans[start..<end]))
            } catch {
                // The exporter logs its own failures, rate-limited.
            }
            start = end
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
