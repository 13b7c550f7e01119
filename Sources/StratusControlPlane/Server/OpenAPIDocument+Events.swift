extension OpenAPIDocument {
    private static let topicParameter = OpenAPIParameter(name: "topic", location: "path", description: "The topic: ASCII letters, digits and '-' in dot-separated segments, at most 200 bytes.")
    private static let groupParameter = OpenAPIParameter(name: "group", location: "path", description: "The consumer group: 1 to 64 ASCII letters, digits or '-'.")
    private static let sequenceParameter = OpenAPIParameter(name: "sequence", location: "path", description: "The message's sequence in the topic.", type: "integer")

    /// The embedded event broker's operations, under /api/v1/events.
    static let eventOperations: [OpenAPIOperation] = [
        OpenAPIOperation("POST", "/api/v1/events/messages", "Publish up to 1000 messages, to any topics, with one commit; responds once they are synced to disk, with one result per message in order: its sequence, or the error that rejected it alone.",
                         request: "EventBatchPublishRequest", responses: ["200": "EventBatchPublishResponse", "400": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("POST", "/api/v1/events/topics/{topic}/messages", "Publish a message; answers 201 once it is synced to disk. Creates the topic on first use.",
                         parameters: [topicParameter], request: "EventPublishRequest", responses: ["201": "EventPublishResponse", "400": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("POST", "/api/v1/events/topics/{topic}/groups/{group}/fetch", "Long-poll for up to maxMessages deliveries to one member of the group, waiting up to waitMilliseconds. Creates the group at the oldest retained message on first use; the ack timeout and maximum deliveries of the request apply to the whole group.",
                         parameters: [topicParameter, groupParameter], request: "EventFetchRequest", responses: ["200": "EventFetchResponse", "400": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("POST", "/api/v1/events/topics/{topic}/groups/{group}/messages/{sequence}/ack", "Ack a delivered message: the group never receives it again. Responds once the ack is synced to disk; acking a settled message again succeeds.",
                         parameters: [topicParameter, groupParameter, sequenceParameter], responses: ["200": nil, "400": "ErrorBody", "404": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("POST", "/api/v1/events/topics/{topic}/groups/{group}/messages/{sequence}/nack", "Return an in-flight message for redelivery after delayMilliseconds (body optional), or move it to the dead-letter topic <topic>.dlq on its last allowed delivery. 409 when it is not in flight.",
                         parameters: [topicParameter, groupParameter, sequenceParameter], request: "EventNackRequest", responses: ["200": nil, "400": "ErrorBody", "404": "ErrorBody", "409": "ErrorBody", "503": "ErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/events/topics", "List the topics with their retained messages and consumer groups.",
                         responses: ["200": "EventTopicList", "503": "ErrorBody"]),
        OpenAPIOperation("GET", "/api/v1/events/topics/{topic}", "One topic with its retained messages and consumer groups.",
                         parameters: [topicParameter], responses: ["200": "EventTopic", "400": "ErrorBody", "404": "ErrorBody", "503": "ErrorBody"]),
    ]
}
