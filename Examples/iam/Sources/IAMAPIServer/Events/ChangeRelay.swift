import IAMHTTP
import IAMModel
import IAMStorage
import StratusEvents
import StratusLog

/// Copies the change log to the event bus topic `iam.changes`, oldest
/// first, one message per event with the owner as key.
///
/// It runs on one API server at a time (a leader-only worker). The
/// position it reached is stored after each publish, so a new leader
/// resumes there. An event published just before a crash may be
/// published again, which consumers must tolerate (at-least-once).
struct ChangeRelay: Sendable {
    let store: any IAMStore
    let bus: EventBus
    let pollInterval: Duration
    let logger: Logger

    static let positionName = "event-bus"
    static let batchSize = 100

    /// Relays until cancelled. A failure is logged and retried after a
    /// second, from the last stored position.
    func run() async {
        while !Task.isCancelled {
            do {
                let relayed = try await relayPending()
                if relayed == 0 { try await Task.sleep(for: pollInterval) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("relaying change events failed; retrying", metadata: ["error": .string("\(error)"), "topic": .string(EventTopics.changes)])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Publishes the events after the stored position and returns how many.
    func relayPending() async throws -> Int {
        let position = try await store.relayPosition(Self.positionName)
        let events = try await store.changes(after: position, limit: Self.batchSize)
        for event in events {
            try await bus.publish(EventTopics.changes, payload: try JSONCoding.encode(event), headers: ["content-type": "application/json"], key: event.owner)
            try await store.setRelayPosition(Self.positionName, to: event.revision)
        }
        return events.count
    }
}
