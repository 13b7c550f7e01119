/// What the broker returns once it has stored a message.
public struct PublishReceipt: Sendable, Hashable {
    /// The topic the message was stored in.
    public var topic: String
    /// The message's position in its topic: 1 for the first message, then
    /// increasing by one per message. Retention removes messages from the
    /// front, so the first retained sequence may be larger than 1.
    public var sequence: UInt64

    public init(topic: String, sequence: UInt64) {
        self.topic = topic
        self.sequence = sequence
    }
}

/// A message on its way to the broker, with its names and headers checked.
package struct OutgoingEvent: Sendable {
    package var topic: String
    package var key: String?
    package var headers: [String: String]
    package var payload: [UInt8]

    package init(topic: String, key: String?, headers: [String: String], payload: [UInt8]) {
        self.topic = topic
        self.key = key
        self.headers = headers
        self.payload = payload
    }
}
