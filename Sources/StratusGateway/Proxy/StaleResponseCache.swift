import StratusHTTP
import StratusNet
import Synchronization

/// The last 2xx response to each GET path and query of a route, kept to
/// answer while the upstream is unavailable (`fallback.serveStale`).
///
/// Thread safety: the table is behind a `Mutex`.
final class StaleResponseCache: Sendable {
    struct Entry: Sendable {
        var status: HTTPStatus
        var headers: HTTPFields
        var body: [UInt8]
        var storedAt: UInt64
        var stamp: UInt64
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        var nextStamp: UInt64 = 0
    }

    let maxEntries: Int
    let maxBodySize: Int
    let maxAge: Duration
    private let table = Mutex(Table())

    init(maxEntries: Int, maxBodySize: Int, maxAge: Duration) {
        self.maxEntries = maxEntries
        self.maxBodySize = maxBodySize
        self.maxAge = maxAge
    }

    /// Returns a fresh entry for `key`, or nil.
    func lookup(_ key: String) -> Entry? {
        let now = MonotonicClock.now()
        return table.withLock { table in
            guard let entry = table.entries[key] else { return nil }
            guard now &- entry.storedAt <= maxAge.nanoseconds else {
                table.entries[key] = nil
                return nil
            }
            return entry
        }
    }

    /// Stores a response, dropping the least recently stored entry when
    /// the table is full.
    func store(_ key: String, status: HTTPStatus, headers: HTTPFields, body: [UInt8]) {
        let now = MonotonicClock.now()
        table.withLock { table in
            table.nextStamp += 1
            table.entries[key] = Entry(status: status, headers: headers, body: body, storedAt: now, stamp: table.nextStamp)
            if table.entries.count > maxEntries, let oldest = table.entries.min(by: { $0.value.stamp < $1.value.stamp })?.key {
                table.entries[oldest] = nil
            }
        }
    }
}

/// Collects a streamed body up to a size for the cache, giving up past it.
final class CacheTee: @unchecked Sendable {
    // Touched only by the one producer task that streams the body.
    private var bytes: [UInt8] = []
    private var overflowed = false
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func add(_ chunk: [UInt8]) {
        guard !overflowed else { return }
        if bytes.count + chunk.count > limit {
            overflowed = true
            bytes = []
        } else {
            bytes += chunk
        }
    }

    var body: [UInt8]? { overflowed ? nil : bytes }
}
