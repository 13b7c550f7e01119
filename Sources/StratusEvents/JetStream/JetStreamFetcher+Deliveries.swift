import Foundation

extension JetStreamFetcher {
    /// Turns pulled messages into deliveries, dead-lettering those past
    /// their last allowed delivery instead.
    func deliveriesOrDeadLetters(_ taken: [(NATSMessage, JetStreamAckSubject)], window: CreditWindow) async -> [Delivery] {
        var deliveries: [Delivery] = []
        for (message, subject) in taken {
            if subject.deliveryCount > options.maxDeliveries {
                try? await deadLetter(message, subject, deliveries: subject.deliveryCount - 1)
                continue
            }
            deliveries.append(delivery(message, subject, window: window))
        }
        return deliveries
    }

    private func delivery(_ message: NATSMessage, _ subject: JetStreamAckSubject, window: CreditWindow) -> Delivery {
        var headers = message.headers
        let key = headers.removeValue(forKey: EventHeaders.key)
        let settlement = DeliverySettlement(window: window) { [self] settlement throws(EventBusError) in
            try await settle(settlement, message, subject)
        }
        return Delivery(
            topic: names.topic, group: group, sequence: subject.streamSequence, key: key, headers: headers,
            payload: message.payload, deliveryCount: subject.deliveryCount,
            publishedAtMilliseconds: subject.timestampNanoseconds / 1_000_000, settlement: settlement
        )
    }

    private func settle(_ settlement: Settlement, _ message: NATSMessage, _ subject: JetStreamAckSubject) async throws(EventBusError) {
        switch settlement {
        case .ack:
            // With a reply subject the server confirms the ack once stored.
            _ = try await backend.client.request(subject.subject, payload: Array("+ACK".utf8))
        case .nack where subject.deliveryCount >= options.maxDeliveries:
            try await deadLetter(message, subject, deliveries: subject.deliveryCount)
        case .nack(let delay):
            let body = delay > .zero ? #"-NAK {"delay":\#(delay.wholeNanoseconds)}"# : "-NAK"
            try await backend.client.connection().send(NATSFrame.publish(subject.subject, replyTo: nil, headers: [:], payload: Array(body.utf8)))
        }
    }

    /// Publishes the message to the dead-letter topic, then terminates it
    /// so JetStream stops redelivering it. A crash between the two leaves
    /// the message to be dead-lettered again by the next member.
    func deadLetter(_ message: NATSMessage, _ subject: JetStreamAckSubject, deliveries: Int) async throws(EventBusError) {
        var headers = message.headers
        let key = headers.removeValue(forKey: EventHeaders.key)
        headers[EventHeaders.deadLetterReason] = "max deliveries reached (\(deliveries))"
        headers[EventHeaders.deadLetterTopic] = names.topic
        headers[EventHeaders.deadLetterGroup] = group
        headers[EventHeaders.deadLetterSequence] = "\(subject.streamSequence)"
        headers[EventHeaders.deadLetterDeliveries] = "\(deliveries)"
        let target = EventNames.deadLetterTopic(of: names.topic)
        _ = try await backend.publish(OutgoingEvent(topic: target, key: key, headers: headers, payload: message.payload))
        _ = try await backend.client.request(subject.subject, payload: Array("+TERM".utf8))
    }
}
