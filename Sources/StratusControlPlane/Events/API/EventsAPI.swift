import Foundation
import StratusDiscovery
import StratusEvents
import StratusHTTP

/// The embedded broker's HTTP API, under `/api/v1/events`.
///
/// | method and path | does |
/// |---|---|
/// | POST /api/v1/events/messages | publishes a batch of messages to any topics with one commit |
/// | POST /api/v1/events/topics/{topic}/messages | publishes a message; responds once it is on disk |
/// | POST /api/v1/events/topics/{topic}/groups/{group}/fetch | long-polls for deliveries to one member |
/// | POST /api/v1/events/topics/{topic}/groups/{group}/messages/{sequence}/ack | acks a delivery |
/// | POST /api/v1/events/topics/{topic}/groups/{group}/messages/{sequence}/nack | returns it for redelivery |
/// | GET /api/v1/events/topics | lists topics with their groups |
/// | GET /api/v1/events/topics/{topic} | one topic with its groups |
///
/// Errors are `APIErrorBody` JSON with 400, 404, 409 or 503.
struct EventsAPI: Sendable {
    /// The broker, nil when it is off: every route then responds with 503.
    let optionalBroker: EventBroker?

    init(broker: EventBroker?) {
        optionalBroker = broker
    }

    var broker: EventBroker {
        get throws(EventBusError) {
            guard let optionalBroker else {
                throw EventBusError(.unavailable, "the embedded event broker is off on this control plane (its store is etcd); use NATS JetStream, or start the control plane with --events-dir DIR")
            }
            return optionalBroker
        }
    }

    /// The largest request body: a batch of 1 MiB payloads in base64.
    static let maxBodySize = 64 << 20

    func register(on router: Router) {
        let events = router.group("/api/v1/events")
        events.post("/messages") { request, _ in
            await handle { try await publishBatch(request) }
        }
        events.post("/topics/:topic/messages") { request, context in
            await handle { try await publish(request, topic: context.parameters["topic"]!) }
        }
        events.post("/topics/:topic/groups/:group/fetch") { request, context in
            await handle { try await fetch(request, topic: context.parameters["topic"]!, group: context.parameters["group"]!) }
        }
        events.post("/topics/:topic/groups/:group/messages/:sequence/ack") { _, context in
            await handle {
                let sequence = try Self.sequence(context.parameters["sequence"]!)
                try await broker.ack(topic: context.parameters["topic"]!, group: context.parameters["group"]!, sequence: sequence)
                return try Response.json([String: String]())
            }
        }
        events.post("/topics/:topic/groups/:group/messages/:sequence/nack") { request, context in
            await handle { try await nack(request, context.parameters) }
        }
        events.get("/topics") { _, _ in
            await handle { try Response.json(["topics": try broker.topicInfos()]) }
        }
        events.get("/topics/:topic") { _, context in
            await handle {
                let topic = context.parameters["topic"]!
                try EventNames.validateTopic(topic)
                guard let info = try broker.topicInfo(topic) else {
                    throw EventBusError(.notFound, "topic \(topic) not found; it is created by its first publish or subscribe")
                }
                return try Response.json(info)
            }
        }
    }

    private func publish(_ request: Request, topic: String) async throws -> Response {
        let body = try await Self.decode(BrokerWire.PublishRequest.self, from: request)
        guard let payload = BrokerWire.decodePayload(body.payload) else {
            throw EventBusError.invalid("payload", body.payload, expected: "standard base64")
        }
        let receipt = try await broker.publish(topic: topic, key: body.key, headers: body.headers ?? [:], payload: payload)
        return try Response.json(BrokerWire.PublishResponse(topic: receipt.topic, sequence: receipt.sequence), status: .created)
    }

    private func publishBatch(_ request: Request) async throws -> Response {
        let body = try await Self.decode(BrokerWire.BatchPublishRequest.self, from: request)
        guard (1...PublishBatchLimit.maxMessages).contains(body.messages.count) else {
            throw EventBusError.invalid("messages count", "\(body.messages.count)", expected: "1 to \(PublishBatchLimit.maxMessages)")
        }
        var events: [OutgoingEvent] = []
        for message in body.messages {
            guard let payload = BrokerWire.decodePayload(message.payload) else {
                throw EventBusError.invalid("payload", message.payload, expected: "standard base64")
            }
            events.append(OutgoingEvent(topic: message.topic, key: message.key, headers: message.headers ?? [:], payload: payload))
        }
        let results = try await broker.publish(batch: events).map { result in
            switch result {
            case .success(let receipt): BrokerWire.BatchPublishResponse.Result(sequence: receipt.sequence, error: nil)
            case .failure(let error): BrokerWire.BatchPublishResponse.Result(sequence: nil, error: .init(code: error.code.rawValue, message: error.message))
            }
        }
        return try Response.json(BrokerWire.BatchPublishResponse(results: results))
    }

    private func nack(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let sequence = try Self.sequence(parameters["sequence"]!)
        let body = try await Self.decode(BrokerWire.NackRequest.self, from: request, emptyAllowed: true)
        let delay = body?.delayMilliseconds ?? 0
        guard (0...86_400_000).contains(delay) else {
            throw EventBusError.invalid("delayMilliseconds", "\(delay)", expected: "0 to 86400000")
        }
        try await broker.nack(topic: parameters["topic"]!, group: parameters["group"]!, sequence: sequence, delay: .milliseconds(delay))
        return try Response.json([String: String]())
    }

    private static func sequence(_ text: String) throws(EventBusError) -> UInt64 {
        guard let value = UInt64(text), value > 0 else {
            throw .invalid("sequence", text, expected: "a message sequence, a positive integer")
        }
        return value
    }

    /// Runs a handler, turning an `EventBusError` into its JSON response.
    private func handle(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as EventBusError {
            return Self.response(error)
        } catch {
            return Self.response(EventBusError(.unavailable, "\(error)"))
        }
    }

    static func response(_ error: EventBusError) -> Response {
        let status: HTTPStatus = switch error.code {
        case .invalidArgument: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        default: .serviceUnavailable
        }
        let body = APIErrorBody(error: .init(code: error.code.rawValue, message: error.message))
        return (try? Response.json(body, status: status)) ?? Response(status: status)
    }
}

/// The bounds of one batch publish.
enum PublishBatchLimit {
    /// The maximum number of messages in one request; `EventBus` sends at
    /// most 256.
    static let maxMessages = 1000
}
