/// One change the broker writes to disk.
enum BrokerRecord {
    /// A published message. An empty key means none (keys are never empty).
    case append(topic: String, sequence: UInt64, publishedAt: Int64, key: [UInt8], headers: [UInt8], payload: [UInt8])
    /// Retention removed every message of `topic` up to `sequence`.
    case trim(topic: String, through: UInt64)
    /// A group settled a message above its floor.
    case settle(topic: String, group: String, sequence: UInt64)
    /// A group's floor moved: every message up to it is settled.
    case floor(topic: String, group: String, floor: UInt64)
    /// A group delivered a message for the `count`th time.
    case attempt(topic: String, group: String, sequence: UInt64, count: Int)
}

/// The broker's state as a restart finds it on disk.
struct BrokerSnapshot {
    struct Message {
        var sequence: UInt64
        var publishedAt: Int64
        var key: String?
        var headers: [UInt8]
        var payload: [UInt8]
    }

    struct Group {
        var floor: UInt64 = 0
        var settledAbove: Set<UInt64> = []
        var attempts: [UInt64: Int] = [:]
    }

    /// Messages of each topic in sequence order.
    var topics: [String: [Message]] = [:]
    /// The last sequence each topic used, kept after trims so sequences never repeat.
    var lastSequences: [String: UInt64] = [:]
    var groups: [String: [String: Group]] = [:]
}
