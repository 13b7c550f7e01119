import Foundation
import StratusHTTP

/// The client of the control plane's embedded broker, over its HTTP API
/// under `/api/v1/events`.
final class EmbeddedBrokerClient: EventBusBackend {
    let baseURL: String
    let timeout: Duration
    let http: HTTPClient
    private let batcher: PublishBatcher

    init(baseURL: String, timeout: Duration) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        var configuration = HTTPClientConfiguration()
        // A fetch long-polls for up to its wait; the read timeout covers it.
        configuration.readTimeout = .seconds(90)
        let http = HTTPClient(configuration: configuration)
        self.http = http
        let base = self.baseURL
        batcher = PublishBatcher { events in
            await Self.publishBatch(events, http: http, baseURL: base, timeout: timeout)
        }
    }

    func publish(_ event: OutgoingEvent) async throws(EventBusError) -> PublishReceipt {
        try await batcher.publish(event)
    }

    /// Publishes several messages in one request to `POST /api/v1/events/messages`.
    private static func publishBatch(
        _ events: [OutgoingEvent], http: HTTPClient, baseURL: String, timeout: Duration
    ) async -> [Result<PublishReceipt, EventBusError>] {
        let body = BrokerWire.BatchPublishRequest(messages: events.map { event in
            .init(topic: event.topic, key: event.key, headers: event.headers.isEmpty ? nil : event.headers, payload: BrokerWire.encodePayload(event.payload))
        })
        let response: BrokerWire.BatchPublishResponse
        do {
            response = try await post("/messages", body, http: http, baseURL: baseURL, timeout: timeout)
        } catch {
            return events.map { _ in .failure(error) }
        }
        return zip(events, response.results).map { event, result in
            if let sequence = result.sequence {
                return .success(PublishReceipt(topic: event.topic, sequence: sequence))
            }
            let detail = result.error ?? .init(code: EventBusError.Code.unavailable.rawValue, message: "the broker returned neither a sequence nor an error")
            return .failure(EventBusError(EventBusError.Code(rawValue: detail.code), detail.message))
        }
    }

    func makeFetcher(topic: String, group: String, options: SubscriptionOptions) async throws(EventBusError) -> any DeliveryFetcher {
        EmbeddedFetcher(client: self, topic: topic, group: group, options: options)
    }

    func close() async {
        http.shutdown()
    }

    /// Acks or nacks one delivery.
    func settle(topic: String, group: String, sequence: UInt64, _ settlement: Settlement) async throws(EventBusError) {
        let path = "/topics/\(topic)/groups/\(group)/messages/\(sequence)"
        switch settlement {
        case .ack:
            let _: EmptyReply = try await post(path + "/ack", EmptyReply(), timeout: timeout)
        case .nack(let delay):
            let _: EmptyReply = try await post(path + "/nack", BrokerWire.NackRequest(delayMilliseconds: delay.wholeMilliseconds), timeout: timeout)
        }
    }

    /// Posts `body` as JSON under `/api/v1/events` and decodes the reply,
    /// turning error bodies into `EventBusError`.
    func post<Body: Encodable, Reply: Decodable>(_ path: String, _ body: Body, timeout: Duration) async throws(EventBusError) -> Reply {
        try await Self.post(path, body, http: http, baseURL: baseURL, timeout: timeout)
    }

    static func post<Body: Encodable, Reply: Decodable>(
        _ path: String, _ body: Body, http: HTTPClient, baseURL: String, timeout: Duration
    ) async throws(EventBusError) -> Reply {
        let url = baseURL + "/api/v1/events" + path
        let data: [UInt8]
        do {
            data = Array(try JSONEncoder().encode(body))
        } catch {
            throw EventBusError(.invalidArgument, "cannot encode the request to \(url): \(error)")
        }
        let request = HTTPClientRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: data))
        let (response, reply): (HTTPClientResponse, [UInt8])
        do {
            (response, reply) = try await http.execute(request, timeout: timeout, collectingUpTo: 64 << 20)
        } catch let error as HTTPClientError where error.code == .shutdown {
            throw EventBusError(.closed, "the event bus was closed; create a new one")
        } catch let error as HTTPClientError {
            let code: EventBusError.Code = error.code == .timedOut ? .timedOut : .unavailable
            throw EventBusError(code, "the embedded broker at \(baseURL) failed: \(error); check that the control plane runs")
        } catch {
            throw EventBusError(.unavailable, "the embedded broker at \(baseURL) failed: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw Self.error(status: response.status.code, body: reply, url: url)
        }
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(reply))
        } catch {
            throw EventBusError(.unavailable, "invalid reply from \(url): \(error)")
        }
    }

    private static func error(status: Int, body: [UInt8], url: String) -> EventBusError {
        if let decoded = try? JSONDecoder().decode(BrokerWire.ErrorBody.self, from: Data(body)) {
            return EventBusError(EventBusError.Code(rawValue: decoded.error.code), decoded.error.message)
        }
        let code: EventBusError.Code = status == 404 ? .notFound : .unavailable
        return EventBusError(code, "\(url) responded with \(status): \(String(decoding: body.prefix(200), as: UTF8.self))")
    }
}

/// An empty JSON object, for requests and replies without fields.
struct EmptyReply: Codable {}
