/// The rules for topic, group and key names, shared by both backends.
///
/// Names map onto NATS subjects, stream names and consumer names, so they
/// use only characters all of them accept.
public enum EventNames {
    /// The longest topic name, in bytes.
    public static let maxTopicLength = 200
    /// The longest group name, in bytes.
    public static let maxGroupLength = 64
    /// The longest partition key, in bytes.
    public static let maxKeyLength = 256
    /// The suffix of a topic's dead-letter topic.
    public static let deadLetterSuffix = ".dlq"

    /// Checks a topic name: 1 to 200 ASCII letters, digits and '-', in
    /// segments separated by single dots (`orders`, `billing.invoices`).
    public static func validateTopic(_ topic: String) throws(EventBusError) {
        let expected = "1 to \(maxTopicLength) ASCII letters, digits or '-', in segments separated by single dots, such as billing.invoices"
        guard !topic.isEmpty, topic.utf8.count <= maxTopicLength else {
            throw .invalid("topic", topic, expected: expected)
        }
        let segments = topic.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isNameByte) }) else {
            throw .invalid("topic", topic, expected: expected)
        }
    }

    /// Checks a consumer-group name: 1 to 64 ASCII letters, digits and '-'.
    public static func validateGroup(_ group: String) throws(EventBusError) {
        guard !group.isEmpty, group.utf8.count <= maxGroupLength, group.utf8.allSatisfy(isNameByte) else {
            throw .invalid("group", group, expected: "1 to \(maxGroupLength) ASCII letters, digits or '-', such as billing-worker")
        }
    }

    /// Checks a partition key: 1 to 256 bytes of UTF-8 without control characters.
    public static func validateKey(_ key: String) throws(EventBusError) {
        guard !key.isEmpty, key.utf8.count <= maxKeyLength, !key.unicodeScalars.contains(where: isControl) else {
            throw .invalid("key", key, expected: "1 to \(maxKeyLength) bytes without control characters")
        }
    }

    /// Returns the dead-letter topic of `topic`.
    public static func deadLetterTopic(of topic: String) -> String {
        topic + deadLetterSuffix
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
