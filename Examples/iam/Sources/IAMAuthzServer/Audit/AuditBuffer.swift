import Foundation
public import IAMModel
import IAMHTTP
public import StratusLog
public import StratusTelemetry
import Synchronization

/// Collects audit records from decisions and sends them in batches.
///
/// Records are an audit trail, so a failed send keeps its batch and retries
/// it. Only when the buffer contains `capacity` records are new ones
/// dropped. Each dropped record is counted in
/// `iam_audit_records_dropped_total`, and drops are logged at most once per
/// flush.
public final class AuditBuffer: Sendable {
    private let pending = Mutex<[AuditRecord]>([])
    private let droppedSinceLog = Atomic<Int>(0)
    private let capacity: Int
    private let batchSize: Int
    private let sink: any AuditSink
    private let logger: Logger
    private let dropped: Counter
    private let sent: Counter

    public init(sink: any AuditSink, capacity: Int, batchSize: Int, metrics: MetricsRegistry, logger: Logger) {
        self.sink = sink
        self.capacity = capacity
        self.batchSize = batchSize
        self.logger = logger
        dropped = Counter(label: "iam_audit_records_dropped", help: "Audit records dropped because the buffer was full.", registry: metrics)
        sent = Counter(label: "iam_audit_records_sent", help: "Audit records delivered to the sink.", registry: metrics)
    }

    /// Adds a record without waiting; drops it when the buffer is full.
    public func append(_ record: AuditRecord) {
        let accepted = pending.withLock { records in
            guard records.count < capacity else { return false }
            records.append(record)
            return true
        }
        if !accepted {
            dropped.increment()
            droppedSinceLog.add(1, ordering: .relaxed)
        }
    }

    public var count: Int { pending.withLock { $0.count } }

    /// Sends batches every `interval` until cancelled, then once more.
    public func run(interval: Duration) async {
        var failures = 0
        while !Task.isCancelled {
            let delivered = await flush()
            failures = delivered ? 0 : failures + 1
            let delay = failures == 0 ? interval : .milliseconds(min(5000, 200 * (1 << min(failures, 5))))
            try? await Task.sleep(for: delay)
        }
        _ = await flush()
    }

    /// Sends everything pending, a batch at a time; returns false when a
    /// send failed, with that batch back at the front.
    @discardableResult
    public func flush() async -> Bool {
        let lost = droppedSinceLog.exchange(0, ordering: .relaxed)
        if lost > 0 {
            logger.error("audit records dropped: the buffer is full", metadata: ["dropped": .stringConvertible(lost), "capacity": .stringConvertible(capacity)])
        }
        while true {
            let batch = pending.withLock { records in
                let batch = Array(records.prefix(batchSize))
                records.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return true }
            do {
                try await sink.send(AuditBatch(records: batch), id: batch[0].id)
                sent.increment(by: Int64(batch.count))
            } catch {
                pending.withLock { $0.insert(contentsOf: batch, at: 0) }
                logger.warning("sending audit records failed; keeping them to retry", metadata: [
                    "error": .string("\(error)"), "records": .stringConvertible(batch.count),
                ])
                return false
            }
        }
    }
}
