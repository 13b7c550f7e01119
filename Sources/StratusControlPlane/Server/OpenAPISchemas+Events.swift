extension OpenAPISchemas {
    /// The bodies of the events API.
    static var events: [String: Any] { [
        "EventPublishRequest": object(["payload"], [
            "payload": text("The payload in standard base64, at most 1 MiB decoded."),
            "key": text("The partition key: messages with one key reach a group in order, one at a time. 1 to 256 bytes."),
            "headers": ["type": "object", "additionalProperties": ["type": "string"], "description": "At most 64; names starting with Stratus- are reserved."],
        ]),
        "EventBatchPublishRequest": object(["messages"], [
            "messages": ["type": "array", "minItems": 1, "maxItems": 1000, "items": object(["topic", "payload"], [
                "topic": text("The topic."),
                "payload": text("The payload in standard base64, at most 1 MiB decoded."),
                "key": text("The partition key."),
                "headers": ["type": "object", "additionalProperties": ["type": "string"]],
            ])],
        ]),
        "EventBatchPublishResponse": object(["results"], [
            "results": ["type": "array", "items": object([], [
                "sequence": number("The message's sequence, when it was stored."),
                "error": object(["code", "message"], ["code": text("A stable code, such as invalid_argument."), "message": text("What failed, naming the value.")]),
            ])],
        ]),
        "EventPublishResponse": object(["topic", "sequence"], [
            "topic": text("The topic."),
            "sequence": number("The message's sequence in the topic."),
        ]),
        "EventFetchRequest": object(["consumer", "maxMessages"], [
            "consumer": text("The subscription's id, 1 to 128 bytes, for its in-flight bound."),
            "maxMessages": ["type": "integer", "minimum": 1, "maximum": 1000],
            "waitMilliseconds": ["type": "integer", "minimum": 0, "maximum": 60000, "default": 0],
            "ackTimeoutMilliseconds": ["type": "integer", "minimum": 100, "maximum": 86_400_000, "default": 30000],
            "maxDeliveries": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 5],
            "maxInFlight": ["type": "integer", "minimum": 1, "maximum": 10000, "default": 64],
        ]),
        "EventFetchResponse": object(["messages"], [
            "messages": ["type": "array", "items": reference("EventMessage")],
        ]),
        "EventMessage": object(["sequence", "headers", "payload", "publishedAt", "deliveryCount"], [
            "sequence": number("The message's sequence in the topic."),
            "key": text("The partition key, when the publisher gave one."),
            "headers": ["type": "object", "additionalProperties": ["type": "string"]],
            "payload": text("The payload in standard base64."),
            "publishedAt": number("When the broker stored it, in milliseconds since 1970."),
            "deliveryCount": number("1 for the first delivery to the group, higher for redeliveries."),
        ]),
        "EventNackRequest": object([], [
            "delayMilliseconds": ["type": "integer", "minimum": 0, "maximum": 86_400_000, "default": 0],
        ]),
        "EventTopic": object(["topic", "firstSequence", "lastSequence", "messages", "bytes", "groups"], [
            "topic": text("The topic."),
            "firstSequence": number("The oldest retained sequence; lastSequence + 1 when none is retained."),
            "lastSequence": number("The newest stored sequence."),
            "messages": number("Retained messages."),
            "bytes": number("Retained bytes of payload, key and headers."),
            "groups": ["type": "array", "items": object(["name", "ackFloor", "pending", "inFlight"], [
                "name": text("The group."),
                "ackFloor": number("Every message up to this sequence is settled in the group."),
                "pending": number("Messages the group has not settled."),
                "inFlight": number("Messages delivered and not yet acked or nacked."),
            ])],
        ]),
        "EventTopicList": object(["topics"], [
            "topics": ["type": "array", "items": reference("EventTopic")],
        ]),
    ] }

    private static func object(_ required: [String], _ properties: [String: Any]) -> [String: Any] {
        required.isEmpty ? ["type": "object", "properties": properties] : ["type": "object", "required": required, "properties": properties]
    }

    private static func text(_ description: String) -> [String: Any] {
        ["type": "string", "description": description]
    }

    private static func number(_ description: String) -> [String: Any] {
        ["type": "integer", "description": description]
    }

    private static func reference(_ name: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(name)"]
    }
}
