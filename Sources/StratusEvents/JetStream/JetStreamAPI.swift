import Foundation

/// Requests to the JetStream API subjects (`$JS.API.*`), with errors turned
/// into `EventBusError`.
struct JetStreamAPI: Sendable {
    let client: NATSClient

    /// JetStream's error code for a stream name already in use.
    static let streamNameInUse = 10058

    /// Sends a JSON request and returns the JSON reply, throwing its
    /// `error` object as `EventBusError`.
    func call(_ subject: String, _ body: [String: Any]) async throws(EventBusError) -> [String: Any] {
        let payload: [UInt8]
        do {
            payload = Array(try JSONSerialization.data(withJSONObject: body))
        } catch {
            throw EventBusError(.invalidArgument, "cannot encode the JetStream request to \(subject): \(error)")
        }
        let reply = try await client.request(subject, payload: payload)
        if reply.status == 503 {
            throw EventBusError(.unavailable, "JetStream is not enabled on NATS at \(client.endpoints.map(\.description)); start nats-server with -js")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.payload))) as? [String: Any] else {
            throw EventBusError(.unavailable, "invalid JetStream reply on \(subject): \(String(decoding: reply.payload.prefix(200), as: UTF8.self))")
        }
        if let error = object["error"] as? [String: Any] {
            throw Self.error(error, subject: subject)
        }
        return object
    }

    static func error(_ error: [String: Any], subject: String) -> EventBusError {
        let code = error["code"] as? Int ?? 0
        let detail = error["err_code"] as? Int ?? 0
        let description = error["description"] as? String ?? "unknown error"
        let text = "JetStream rejected \(subject): \(description) (code \(code), error code \(detail))"
        switch code {
        case 400: return EventBusError(.invalidArgument, text)
        case 404: return EventBusError(.notFound, text)
        default: return EventBusError(.unavailable, text)
        }
    }

    /// Creates the topic's stream with file storage; an existing stream
    /// with the same configuration is left as it is.
    func createStream(_ names: JetStreamNames, retention: EventRetention) async throws(EventBusError) {
        let config: [String: Any] = [
            "name": names.stream,
            "subjects": names.subjects,
            "retention": "limits",
            "storage": "file",
            "discard": "old",
            "max_age": retention.maxAge.wholeNanoseconds,
            "max_bytes": retention.maxBytes,
            "num_replicas": 1,
        ]
        do {
            _ = try await call("$JS.API.STREAM.CREATE.\(names.stream)", config)
        } catch where error.message.contains("error code \(Self.streamNameInUse))") {
            throw EventBusError(.conflict, "\(error.message); the stream \(names.stream) exists with another configuration, such as another partition count: give every client of topic \(names.topic) the same natsPartitions")
        }
    }

    /// Creates or updates a durable pull consumer on one subject.
    func createConsumer(stream: String, name: String, subject: String, ackWait: Duration, maxAckPending: Int) async throws(EventBusError) {
        let config: [String: Any] = [
            "durable_name": name,
            "deliver_policy": "all",
            "ack_policy": "explicit",
            "ack_wait": ackWait.wholeNanoseconds,
            // The client dead-letters; the server must keep redelivering.
            "max_deliver": -1,
            "filter_subject": subject,
            "replay_policy": "instant",
            "max_ack_pending": maxAckPending,
            "max_waiting": 512,
        ]
        _ = try await call("$JS.API.CONSUMER.DURABLE.CREATE.\(stream).\(name)", ["stream_name": stream, "config": config])
    }
}
