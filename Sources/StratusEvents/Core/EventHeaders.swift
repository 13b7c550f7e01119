/// Header names the bus sets itself, and the rules for user headers.
///
/// Header names are case-sensitive on the NATS backend, so the bus keeps
/// each name as written. Names starting with `Stratus-` are reserved.
public enum EventHeaders {
    /// The reserved prefix.
    public static let reservedPrefix = "Stratus-"
    /// The partition key on the NATS backend, where a message has no key field.
    public static let key = "Stratus-Key"
    /// Why a message was dead-lettered, such as `max deliveries reached (5)`.
    public static let deadLetterReason = "Stratus-Dead-Letter-Reason"
    /// The topic a dead-lettered message was published to.
    public static let deadLetterTopic = "Stratus-Dead-Letter-Topic"
    /// The group that gave the message up.
    public static let deadLetterGroup = "Stratus-Dead-Letter-Group"
    /// The message's sequence in its original topic.
    public static let deadLetterSequence = "Stratus-Dead-Letter-Sequence"
    /// How many times the group received the message before giving it up.
    public static let deadLetterDeliveries = "Stratus-Dead-Letter-Deliveries"

    /// The most headers a message may carry.
    public static let maxCount = 64
    /// The most bytes of one header value.
    public static let maxValueLength = 4096

    /// Checks user headers: at most 64, names of HTTP token characters not
    /// starting with `Stratus-`, values of at most 4096 bytes without
    /// control characters.
    public static func validate(_ headers: [String: String]) throws(EventBusError) {
        guard headers.count <= maxCount else {
            throw EventBusError(.invalidArgument, "too many headers: \(headers.count); expected at most \(maxCount)")
        }
        for (name, value) in headers {
            try validate(name: name, value: value, allowReserved: false)
        }
    }

    static func validate(name: String, value: String, allowReserved: Bool) throws(EventBusError) {
        guard !name.isEmpty, name.utf8.count <= 256, name.utf8.allSatisfy(isTokenByte) else {
            throw .invalid("header name", name, expected: "1 to 256 letters, digits or !#$%&'*+-.^_`|~")
        }
        guard allowReserved || !name.lowercased().hasPrefix(reservedPrefix.lowercased()) else {
            throw .invalid("header name", name, expected: "a name not starting with \(reservedPrefix), which the bus reserves")
        }
        guard value.utf8.count <= maxValueLength, !value.unicodeScalars.contains(where: EventNames.isControl) else {
            throw .invalid("value of header \(name)", value, expected: "at most \(maxValueLength) bytes without control characters")
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        if EventNames.isNameByte(byte) { return true }
        return "!#$%&'*+.^_`|~".utf8.contains(byte)
    }
}
