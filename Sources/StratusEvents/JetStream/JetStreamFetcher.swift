import Foundation
import Synchronization

/// Pulls one subscription's messages from its group's consumers.
///
/// Each consumer has at most one pull request outstanding: one message
/// from each keyed consumer, and up to the free credit from the unkeyed
/// one. Messages that arrive while the application has no free credit
/// wait here, and the server counts them as in flight meanwhile.
///
/// Each consumer's pulls reply to one inbox subscription, kept for the
/// connection's life. A subscription per pull ended with the pull's 408,
/// so a message the server sent just as the pull expired arrived for an
/// unknown subscription and was dropped. The server then counted it as
/// delivered until the ack timeout ran out.
///
/// NOTE: so a subscription may hold up to `maxInFlight + partitions`
/// messages at the server, though it hands at most `maxInFlight` to the
/// application at a time.
final class JetStreamFetcher: DeliveryFetcher {
    private struct State {
        var buffer: [(NATSMessage, JetStreamAckSubject)] = []
        /// Consumer name to messages requested and not yet received.
        var outstanding: [String: Int] = [:]
        var connection: ObjectIdentifier?
        var waiter: CheckedContinuation<Void, Never>?
        /// Consumer name to the inbox its pulls reply to, on `connection`.
        var inboxes: [String: (subject: String, sid: String)] = [:]
    }

    let backend: JetStreamBackend
    let names: JetStreamNames
    let group: String
    let options: SubscriptionOptions
    private let state = Mutex(State())

    init(backend: JetStreamBackend, names: JetStreamNames, group: String, options: SubscriptionOptions) {
        self.backend = backend
        self.names = names
        self.group = group
        self.options = options
    }

    func fetch(maxMessages: Int, window: CreditWindow) async throws(EventBusError) -> [Delivery] {
        let deadline = ContinuousClock.now + options.fetchWait
        while true {
            let connection = try await backend.client.connection()
            try requestMissing(on: connection, credit: maxMessages)
            let taken = take(maxMessages)
            let deliveries = await deliveriesOrDeadLetters(taken, window: window)
            if !deliveries.isEmpty || ContinuousClock.now >= deadline {
                return deliveries
            }
            await waitForArrival(until: deadline)
        }
    }

    private func take(_ count: Int) -> [(NATSMessage, JetStreamAckSubject)] {
        state.withLock { state in
            let taken = Array(state.buffer.prefix(count))
            state.buffer.removeFirst(taken.count)
            return taken
        }
    }

    /// Sends a pull request to every consumer that has none outstanding.
    private func requestMissing(on connection: NATSConnection, credit: Int) throws(EventBusError) {
        let missing = state.withLock { state in
            if state.connection != ObjectIdentifier(connection) {
                // Pull requests and subscriptions die with the connection
                // that sent them.
                state.connection = ObjectIdentifier(connection)
                state.outstanding = [:]
                state.inboxes = [:]
            }
            // Buffered messages are handed out before new ones, so they
            // count against the credit of the unkeyed pull.
            let unkeyedBatch = credit - state.buffer.count
            var consumers = (0..<names.partitions).map { (names.keyedConsumer(group, $0), 1) }
            if unkeyedBatch > 0 {
                consumers.append((names.unkeyedConsumer(group), unkeyedBatch))
            }
            let missing = consumers.filter { state.outstanding[$0.0, default: 0] == 0 }
            for (consumer, batch) in missing {
                state.outstanding[consumer] = batch
            }
            return missing
        }
        for (consumer, batch) in missing {
            try pull(consumer, batch: batch, on: connection)
        }
    }

    private func pull(_ consumer: String, batch: Int, on connection: NATSConnection) throws(EventBusError) {
        let inbox = try inbox(for: consumer, on: connection)
        let body = #"{"batch":\#(batch),"expires":\#(options.fetchWait.wholeNanoseconds)}"#
        try connection.send(NATSFrame.publish(
            "$JS.API.CONSUMER.MSG.NEXT.\(names.stream).\(consumer)", replyTo: inbox, headers: [:], payload: Array(body.utf8)
        ))
    }

    /// Returns the subject that `consumer`'s pulls reply to, subscribing on
    /// the first pull over `connection`.
    private func inbox(for consumer: String, on connection: NATSConnection) throws(EventBusError) -> String {
        if let inbox = state.withLock({ $0.inboxes[consumer] }) {
            return inbox.subject
        }
        let (subject, sid) = try connection.subscribe { [weak self] event in
            self?.received(event, consumer: consumer)
        }
        state.withLock { $0.inboxes[consumer] = (subject, sid) }
        return subject
    }

    private func received(_ event: NATSInboxEvent, consumer: String) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            switch event {
            case .disconnected:
                state.outstanding[consumer] = 0
            case .message(let message) where message.status == 100:
                return nil
            case .message(let message) where message.status != nil:
                // 404 or 408: the pull ended empty or expired; 409: the
                // server ended it (such as a consumer at its limit).
                state.outstanding[consumer] = 0
            case .message(let message):
                guard let subject = message.replyTo.flatMap(JetStreamAckSubject.init) else { return nil }
                state.buffer.append((message, subject))
                // A message of a pull that already ended counts against
                // the next one, which then ends early at worst.
                state.outstanding[consumer] = max(state.outstanding[consumer, default: 0] - 1, 0)
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func waitForArrival(until deadline: ContinuousClock.Instant) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            self?.wakeWaiter()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                guard state.buffer.isEmpty, ContinuousClock.now < deadline else { return true }
                state.waiter?.resume()
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func wakeWaiter() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func close() async {
        guard let connection = try? await backend.client.connection() else { return }
        let inboxes = state.withLock { state in
            defer { state.inboxes = [:] }
            // Subscription ids are per connection, and the others' are gone.
            return state.connection == ObjectIdentifier(connection) ? state.inboxes : [:]
        }
        inboxes.values.forEach { connection.unsubscribe($0.sid) }
    }
}
