import Foundation
@testable import StratusControlPlane
import StratusEvents
import StratusHTTP
import StratusTestSupport
import Testing

/// The embedded broker's HTTP API with bad input, and its topic listing
/// and retention, against an in-process control plane.
@Suite struct EventsAPITests {
    private func post(_ client: HTTPClient, _ url: String, _ body: String) async throws -> (Int, [String: Any]) {
        let request = HTTPClientRequest(method: .post, url: url, headers: ["Content-Type": "application/json"], body: OutgoingBody(string: body))
        let (response, reply) = try await client.execute(request, collectingUpTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(reply))) as? [String: Any] ?? [:]
        return (response.status.code, object)
    }

    private func errorCode(_ object: [String: Any]) -> String? {
        (object["error"] as? [String: Any])?["code"] as? String
    }

    @Test(arguments: [
        ("/topics/orders/messages", "{}", 400, "payload"),
        ("/topics/orders/messages", #"{"payload":"***"}"#, 400, "base64"),
        ("/topics/bad%20topic/messages", #"{"payload":""}"#, 400, "topic"),
        ("/topics/orders/messages", #"{"payload":"", "headers":{"Stratus-Reason":"x"}}"#, 400, "reserves"),
        ("/topics/orders/messages", "not json", 400, "invalid JSON"),
        ("/topics/orders/groups/g/fetch", #"{"consumer":"c","maxMessages":0}"#, 400, "maxMessages"),
        ("/topics/orders/groups/g/fetch", #"{"consumer":"","maxMessages":1}"#, 400, "consumer"),
        ("/topics/orders/groups/g/fetch", #"{"consumer":"c","maxMessages":1,"waitMilliseconds":70000}"#, 400, "waitMilliseconds"),
        ("/topics/orders/groups/g/fetch", #"{"consumer":"c","maxMessages":1,"ackTimeoutMilliseconds":5}"#, 400, "ackTimeoutMilliseconds"),
        ("/topics/orders/groups/g.h/fetch", #"{"consumer":"c","maxMessages":1}"#, 400, "group"),
        ("/topics/orders/groups/g/messages/0/ack", "", 400, "sequence"),
        ("/topics/orders/groups/nobody/messages/1/ack", "", 404, "not found"),
        ("/topics/orders/groups/g/messages/1/nack", #"{"delayMilliseconds":-1}"#, 400, "delayMilliseconds"),
    ])
    func badRequestsAreRejected(path: String, body: String, status: Int, message: String) async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let client = HTTPClient()
        let (code, object) = try await post(client, url + "/api/v1/events" + path, body)
        #expect(code == status)
        let text = (object["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(text.contains(message), "message was: \(text)")
        client.shutdown()
        await controlPlane.shutdown()
    }

    @Test func settleStatesMapToStatusCodes() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let client = HTTPClient()
        let base = url + "/api/v1/events/topics/orders"
        _ = try await post(client, base + "/messages", #"{"payload":"YQ=="}"#)
        _ = try await post(client, base + "/messages", #"{"payload":"Yg=="}"#)
        let (fetched, reply) = try await post(client, base + "/groups/g/fetch", #"{"consumer":"c","maxMessages":1}"#)
        #expect(fetched == 200)
        #expect((reply["messages"] as? [[String: Any]])?.first?["payload"] as? String == "YQ==")

        #expect(try await post(client, base + "/groups/g/messages/2/ack", "").0 == 404)
        #expect(try await post(client, base + "/groups/g/messages/1/nack", "").0 == 200)
        let (conflict, body) = try await post(client, base + "/groups/g/messages/1/nack", "")
        #expect(conflict == 409)
        #expect(errorCode(body) == "conflict")
        #expect(try await post(client, base + "/groups/g/messages/1/ack", "").0 == 200)
        #expect(try await post(client, base + "/groups/g/messages/1/ack", "").0 == 200)

        let (listing, _) = try await client.execute(HTTPClientRequest(url: base), collectingUpTo: 1 << 16)
        #expect(listing.status == .ok)
        let missing = try await client.execute(HTTPClientRequest(url: url + "/api/v1/events/topics/none"), collectingUpTo: 1 << 16)
        #expect(missing.0.status == .notFound)
        client.shutdown()
        await controlPlane.shutdown()
    }

    @Test func badMessageFailsAloneInBatch() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let client = HTTPClient()
        let body = #"{"messages":[{"topic":"a","payload":"eA=="},{"topic":"b c","payload":""},{"topic":"a","payload":"eQ==","key":"k"}]}"#
        let (status, reply) = try await post(client, url + "/api/v1/events/messages", body)
        #expect(status == 200)
        let results = try #require(reply["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results[0]["sequence"] as? Int == 1)
        #expect((results[1]["error"] as? [String: Any])?["code"] as? String == "invalid_argument")
        #expect(results[2]["sequence"] as? Int == 2)
        #expect(try await post(client, url + "/api/v1/events/messages", #"{"messages":[]}"#).0 == 400)
        client.shutdown()
        await controlPlane.shutdown()
    }

    @Test func retentionRemovesOldestBySize() async throws {
        var configuration = EventBrokerConfiguration(directory: nil)
        configuration.retention = EventRetention(maxAge: .seconds(3600), maxBytes: 1024)
        configuration.retentionInterval = .milliseconds(20)
        let broker = try EventBroker(configuration: configuration)
        for _ in 0..<8 {
            _ = try await broker.publish(topic: "logs", key: nil, headers: [:], payload: [UInt8](repeating: 1, count: 256))
        }
        var first: UInt64 = 0
        for _ in 0..<500 where first < 5 {
            try await Task.sleep(for: .milliseconds(10))
            first = broker.topicInfo("logs")?.firstSequence ?? 0
        }
        #expect(first == 5, "1024 bytes keep the newest 4 messages of 256 bytes")
        await broker.close()
    }

    @Test func retentionRemovesOldestByAge() async throws {
        var configuration = EventBrokerConfiguration(directory: nil)
        configuration.retention = EventRetention(maxAge: .seconds(1), maxBytes: 1 << 20)
        configuration.retentionInterval = .milliseconds(20)
        let broker = try EventBroker(configuration: configuration)
        _ = try await broker.publish(topic: "logs", key: nil, headers: [:], payload: [1])
        var messages = 1
        for _ in 0..<500 where messages > 0 {
            try await Task.sleep(for: .milliseconds(10))
            messages = broker.topicInfo("logs")?.messages ?? -1
        }
        #expect(messages == 0)
        #expect(broker.topicInfo("logs")?.lastSequence == 1)
        await broker.close()
    }

    @Test func storeDecidesDefaultBroker() {
        #expect(StoreSpec.embedded(directory: "/tmp/cp").defaultEvents?.directory == "/tmp/cp/events")
        #expect(StoreSpec.memory.defaultEvents?.directory == nil)
        #expect(StoreSpec.memory.defaultEvents != nil)
        #expect(StoreSpec.etcd(endpoints: ["http://127.0.0.1:2379"]).defaultEvents == nil)
    }
}
