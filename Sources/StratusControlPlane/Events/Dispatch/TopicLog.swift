import StratusEvents

/// A retained message of a topic, in memory.
struct StoredMessage {
    var sequence: UInt64
    var publishedAt: Int64
    var key: String?
    var headers: [String: String]
    var payload: [UInt8]

    /// The bytes counted against the topic's size retention.
    var size: Int64 {
        Int64(payload.count + (key?.utf8.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count })
    }
}

/// One topic's retained messages and its consumer groups.
///
/// Sequences are contiguous: retention removes from the front and publishes
/// append at the back, so a sequence's index is its distance from the first.
struct TopicLog {
    private var messages: [StoredMessage] = []
    private var head = 0
    /// The last sequence assigned, including messages removed since.
    private(set) var lastSequence: UInt64
    /// The last sequence on disk; consumers see messages up to it.
    var visibleThrough: UInt64
    private(set) var bytes: Int64 = 0
    var groups: [String: GroupDispatch] = [:]

    init(lastSequence: UInt64 = 0) {
        self.lastSequence = lastSequence
        visibleThrough = lastSequence
    }

    /// Returns the log with `lastSequence` raised to `last`, for a topic
    /// whose newest messages retention removed before a restart.
    func withLastSequence(_ last: UInt64) -> TopicLog {
        var log = self
        log.lastSequence = max(lastSequence, last)
        log.visibleThrough = log.lastSequence
        return log
    }

    var firstSequence: UInt64 { head < messages.count ? messages[head].sequence : lastSequence + 1 }
    var count: Int { messages.count - head }
    var oldest: StoredMessage? { head < messages.count ? messages[head] : nil }

    /// Adds a message with the next sequence and returns it.
    mutating func append(publishedAt: Int64, key: String?, headers: [String: String], payload: [UInt8]) -> StoredMessage {
        lastSequence += 1
        let message = StoredMessage(sequence: lastSequence, publishedAt: publishedAt, key: key, headers: headers, payload: payload)
        messages.append(message)
        bytes += message.size
        return message
    }

    /// Adds a message loaded from disk.
    mutating func restore(_ message: StoredMessage) {
        messages.append(message)
        bytes += message.size
        lastSequence = max(lastSequence, message.sequence)
        visibleThrough = lastSequence
    }

    func message(_ sequence: UInt64) -> StoredMessage? {
        guard sequence >= firstSequence, sequence <= lastSequence else { return nil }
        let index = head + Int(sequence - firstSequence)
        return index < messages.count ? messages[index] : nil
    }

    /// Removes the oldest message.
    mutating func removeOldest() {
        guard head < messages.count else { return }
        bytes -= messages[head].size
        head += 1
        if head > 1024 && head * 2 > messages.count {
            messages.removeFirst(head)
            head = 0
        }
    }

    /// Removes the oldest messages past the retention limits, but never a
    /// message not yet on disk; returns the last sequence removed, if any.
    mutating func applyRetention(_ retention: EventRetention, nowMilliseconds: Int64) -> UInt64? {
        let oldestAllowed = nowMilliseconds - retention.maxAge.wholeMilliseconds
        var removedThrough: UInt64?
        while let oldest, oldest.sequence <= visibleThrough, bytes > retention.maxBytes || oldest.publishedAt < oldestAllowed {
            removedThrough = oldest.sequence
            removeOldest()
        }
        return removedThrough
    }
}
