import IAMHTTP
import IAMModel
import IAMStorage

/// Serves the change log as a long poll: a request waits until a change
/// after its revision is committed, by this replica or any other sharing
/// the database, or until its wait ends.
///
/// Waiting requests read the log every `pollInterval`, so a change reaches
/// them within about that time whichever replica committed it.
struct ChangeFeed: Sendable {
    let store: any IAMStore
    let pollInterval: Duration
    let maxWait: Duration

    /// The maximum number of events in one response. A consumer that
    /// receives this many requests again at once.
    static let batchLimit = 1000

    func changes(after revision: Int64, waiting requested: Duration) async throws -> ChangeBatch {
        let deadline = ContinuousClock.now + min(max(requested, .zero), maxWait)
        while true {
            let events = try await store.changes(after: revision, limit: Self.batchLimit)
            if let last = events.last {
                return ChangeBatch(revision: last.revision, events: events)
            }
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                return ChangeBatch(revision: max(revision, try await store.latestRevision()), events: [])
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
