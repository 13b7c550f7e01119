import Synchronization
import StratusEvents

extension EventBroker {
    /// Starts the task that applies retention by age and size every
    /// `retentionInterval` until `close`.
    func startRetention() {
        let interval = configuration.retentionInterval
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                self?.applyRetention()
            }
        }
        retentionTask.withLock { $0 = task }
    }

    /// Removes messages past the retention limits from every topic, and
    /// settles them in every group that had not.
    func applyRetention() {
        let nowMilliseconds = Self.wallClockMilliseconds()
        state.withLock { state in
            var records: [BrokerRecord] = []
            for name in state.topics.keys {
                guard var log = state.topics[name],
                      let through = log.applyRetention(configuration.retention, nowMilliseconds: nowMilliseconds)
                else { continue }
                records.append(.trim(topic: name, through: through))
                for group in log.groups.keys {
                    let effects = log.groups[group]!.dropRemoved(before: through + 1)
                    records += Self.records(topic: name, group: group, effects)
                }
                state.topics[name] = log
            }
            journal.enqueue(records)
        }
    }
}
