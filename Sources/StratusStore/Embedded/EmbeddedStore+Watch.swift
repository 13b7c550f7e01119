import Synchronization

extension EmbeddedStore {
    /// Events copied per catch-up step. A step ends at a revision boundary,
    /// so it can copy a little more.
    private static let catchUpBatch = 256
    /// Log entries scanned per catch-up step, bounding the time the lock is held.
    private static let catchUpScanLimit = 4096

    public func watch(_ request: WatchRequest) -> WatchStream {
        do {
            try RequestValidation.checkWatch(request)
        } catch {
            return WatchStream(AsyncThrowingStream { $0.finish(throwing: error) })
        }
        // Resolve "from now" at the call, not at the first read, so a change
        // made between the two is not missed.
        let start = request.startRevision ?? shared.withLock { $0.published + 1 }
        return WatchStream { [self] in
            makeWatcher(request, startRevision: start)
        }
    }

    private func makeWatcher(_ request: WatchRequest, startRevision: Int64) -> EmbeddedWatcher {
        shared.withLock { shared in
            shared.nextWatcherID += 1
            let watcher = EmbeddedWatcher(
                id: shared.nextWatcherID,
                request: request,
                startRevision: startRevision,
                bufferLimit: configuration.watchBufferLimit,
                store: self
            )
            if let failure = shared.failure {
                watcher.fail(failure)
            } else if startRevision > shared.published {
                watcher.appendCaughtUp([], nextRevision: startRevision, caughtUp: true)
                shared.watchers[watcher.id] = watcher
            }
            return watcher
        }
    }

    /// Copies the next events a watcher has not seen from the log, and
    /// registers it for pushed events once it reaches the published revision.
    func catchUp(_ watcher: EmbeddedWatcher) {
        shared.withLock { shared in
            let start = watcher.nextRevision
            if let failure = shared.failure {
                watcher.fail(failure)
                return
            }
            guard start >= shared.mvcc.compactedRevision else {
                watcher.fail(StoreError(
                    .compacted,
                    "watch start revision \(start) was compacted: history starts at \(shared.mvcc.compactedRevision); list the keys again and watch from the list's revision + 1",
                    compactRevision: shared.mvcc.compactedRevision
                ))
                return
            }
            let (events, next) = copyEvents(for: watcher, from: start, through: shared.published, in: shared.mvcc.events)
            let caughtUp = next > shared.published
            watcher.appendCaughtUp(events, nextRevision: next, caughtUp: caughtUp)
            if caughtUp {
                shared.watchers[watcher.id] = watcher
            }
        }
    }

    /// Returns the events for a watcher from `start` up to `end`, whole
    /// revisions only, and the revision to continue from.
    private func copyEvents(for watcher: EmbeddedWatcher, from start: Int64, through end: Int64, in log: EventLog) -> ([WatchEvent], Int64) {
        var events: [WatchEvent] = []
        var index = log.firstIndex(atOrAfter: start)
        var scanned = 0
        while index < log.endIndex && log[index].revision <= end {
            let stored = log[index]
            let boundary = index + 1 == log.endIndex || log[index + 1].revision != stored.revision
            if watcher.request.keys.contains(stored.key) {
                events.append(stored.watchEvent(previousIncluded: watcher.request.previousKeyValues))
            }
            scanned += 1
            index += 1
            if boundary && (events.count >= Self.catchUpBatch || scanned >= Self.catchUpScanLimit) {
                return (events, stored.revision + 1)
            }
        }
        return (events, end + 1)
    }

    /// Hands the events from the last published revision up to the durable
    /// one to every registered watcher. Called with the lock held.
    func publish(_ shared: inout Shared) {
        let through = shared.mvcc.durableRevision
        guard through > shared.published else { return }
        let log = shared.mvcc.events
        let first = log.firstIndex(atOrAfter: shared.published + 1)
        shared.published = through
        var dropped: [UInt64] = []
        for (id, watcher) in shared.watchers {
            var events: [WatchEvent] = []
            var index = first
            while index < log.endIndex && log[index].revision <= through {
                let stored = log[index]
                if stored.revision >= watcher.nextRevision && watcher.request.keys.contains(stored.key) {
                    events.append(stored.watchEvent(previousIncluded: watcher.request.previousKeyValues))
                }
                index += 1
            }
            if !watcher.push(events, through: through) {
                dropped.append(id)
            }
        }
        for id in dropped {
            shared.watchers.removeValue(forKey: id)
        }
    }

    func removeWatcher(_ id: UInt64) {
        shared.withLock { _ = $0.watchers.removeValue(forKey: id) }
    }
}
