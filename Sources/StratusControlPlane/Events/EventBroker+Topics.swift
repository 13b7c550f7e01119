import Synchronization

/// A topic's state, as `GET /api/v1/events/topics` returns it.
struct TopicInfo: Codable, Sendable, Hashable {
    struct Group: Codable, Sendable, Hashable {
        var name: String
        /// Every message up to this sequence is settled in the group.
        var ackFloor: UInt64
        /// Messages the group has not settled: waiting, in flight or new.
        var pending: UInt64
        var inFlight: Int
    }

    var topic: String
    /// The oldest retained sequence; `lastSequence + 1` when none is retained.
    var firstSequence: UInt64
    var lastSequence: UInt64
    var messages: Int
    var bytes: Int64
    var groups: [Group]
}

extension EventBroker {
    /// Returns every topic, sorted by name, with its groups sorted by name.
    func topicInfos() -> [TopicInfo] {
        state.withLock { state in
            state.topics.keys.sorted().map { name in
                Self.info(name, state.topics[name]!)
            }
        }
    }

    func topicInfo(_ name: String) -> TopicInfo? {
        state.withLock { state in
            state.topics[name].map { Self.info(name, $0) }
        }
    }

    private static func info(_ name: String, _ log: TopicLog) -> TopicInfo {
        let groups = log.groups.keys.sorted().map { group in
            let dispatch = log.groups[group]!
            let pending = log.visibleThrough - min(dispatch.floor, log.visibleThrough) - UInt64(dispatch.settledAbove.count)
            return TopicInfo.Group(name: group, ackFloor: dispatch.floor, pending: pending, inFlight: dispatch.inFlight.count)
        }
        return TopicInfo(
            topic: name, firstSequence: log.firstSequence, lastSequence: log.visibleThrough,
            messages: log.count, bytes: log.bytes, groups: groups
        )
    }
}
