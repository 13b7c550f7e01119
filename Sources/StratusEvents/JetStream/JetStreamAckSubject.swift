/// The reply subject of a message JetStream delivers, which carries its
/// metadata: `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer
/// seq>.<timestamp ns>.<pending>`, or the newer form with a domain and an
/// account hash after `$JS.ACK` and a random token at the end.
struct JetStreamAckSubject: Sendable {
    var subject: String
    var stream: String
    var consumer: String
    var deliveryCount: Int
    var streamSequence: UInt64
    var timestampNanoseconds: Int64

    init?(_ subject: String) {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count >= 9, tokens[0] == "$JS", tokens[1] == "ACK" else { return nil }
        let base = tokens.count == 9 ? 2 : 4
        guard tokens.count >= base + 7,
              let delivered = Int(tokens[base + 2]),
              let sequence = UInt64(tokens[base + 3]),
              let timestamp = Int64(tokens[base + 5])
        else { return nil }
        self.subject = subject
        stream = String(tokens[base])
        consumer = String(tokens[base + 1])
        deliveryCount = delivered
        streamSequence = sequence
        timestampNanoseconds = timestamp
    }
}
