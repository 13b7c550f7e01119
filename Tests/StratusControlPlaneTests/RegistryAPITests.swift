import Foundation
import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import Testing

/// The registry's HTTP API: status codes and error bodies, bad input first.
@Suite struct RegistryAPITests {
    private struct Answer {
        var status: Int
        var body: [UInt8]

        var error: APIErrorBody.Detail? {
            (try? JSONDecoder().decode(APIErrorBody.self, from: Data(body)))?.error
        }
    }

    private func send(_ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> Answer {
        let client = HTTPClient()
        defer { client.shutdown() }
        let request = HTTPClientRequest(method: method, url: url, headers: ["Content-Type": "application/json"], body: OutgoingBody(string: body ?? ""))
        let (response, bytes) = try await client.execute(request, collectingUpTo: 1 << 20)
        return Answer(status: response.status.code, body: bytes)
    }

    private let valid = #"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":8080},"ttlSeconds":300}"#

    @Test(arguments: [
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":0}}"#, "instance.port", "0"),
        (#"{"instance":{"service":"iam","id":"a b","address":"127.0.0.1","port":80}}"#, "instance.id", "a b"),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":80},"ttlSeconds":0}"#, "ttlSeconds", "0"),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":80},"ttlSeconds":301}"#, "ttlSeconds", "301"),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":80,"labels":{"-x":"y"}}}"#, "instance.labels key", "-x"),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":80,"weight":0}}"#, "instance.weight", "0"),
        (#"{"instance":{"service":"other","id":"a","address":"127.0.0.1","port":80}}"#, "instance.service", "other"),
    ])
    func invalidRegistrationNamesField(body: String, field: String, value: String) async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let answer = try await send(.post, url + "/api/v1/services/iam/instances", body)
        #expect(answer.status == 400)
        #expect(answer.error?.code == "invalid_argument")
        #expect(answer.error?.field == field)
        #expect(answer.error?.value == value)
        #expect(answer.error?.expected?.isEmpty == false)
        #expect(try await controlPlane.registry.services().services.isEmpty, "nothing stored")
        await controlPlane.shutdown()
    }

    @Test(arguments: [
        ("not json", nil as String?),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1"}}"#, "instance.port"),
        (#"{"instance":{"service":"iam","id":"a","address":"127.0.0.1","port":"80"}}"#, "instance.port"),
        (#"{"ttlSeconds":3}"#, "instance"),
    ])
    func malformedBodyIsRejected(body: String, field: String?) async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let answer = try await send(.post, url + "/api/v1/services/iam/instances", body)
        #expect(answer.status == 400)
        #expect(answer.error?.code == "invalid_argument")
        #expect(answer.error?.field == field)
        #expect(try await controlPlane.registry.services().services.isEmpty, "nothing stored")
        await controlPlane.shutdown()
    }

    @Test func invalidServiceInPathIsRejected() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let answer = try await send(.get, url + "/api/v1/services/Bad_Name/instances")
        #expect(answer.status == 400)
        #expect(answer.error?.field == "service")
        #expect(answer.error?.value == "Bad_Name")
        await controlPlane.shutdown()
    }

    @Test func lifecycleStatusCodes() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        #expect(try await send(.post, url + "/api/v1/services/iam/instances", valid).status == 201)
        #expect(try await send(.put, url + "/api/v1/services/iam/instances/a/heartbeat").status == 200)
        #expect(try await send(.put, url + "/api/v1/services/iam/instances/a/status", #"{"status":"DRAINING"}"#).status == 200)
        let badStatus = try await send(.put, url + "/api/v1/services/iam/instances/a/status", #"{"status":"SLEEPING"}"#)
        #expect(badStatus.status == 400)
        #expect(badStatus.error?.field == "status")
        #expect(try await send(.delete, url + "/api/v1/services/iam/instances/a").status == 204)
        let gone = try await send(.put, url + "/api/v1/services/iam/instances/a/heartbeat")
        #expect(gone.status == 404)
        #expect(gone.error?.code == "not_found")
        #expect(try await send(.delete, url + "/api/v1/services/iam/instances/a").status == 404)
        await controlPlane.shutdown()
    }

    @Test func heartbeatRejectsBadLease() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        #expect(try await send(.post, url + "/api/v1/services/iam/instances", valid).status == 201)
        let answer = try await send(.put, url + "/api/v1/services/iam/instances/a/heartbeat?lease=xyz")
        #expect(answer.status == 400)
        #expect(answer.error?.field == "lease")
        #expect(answer.error?.value == "xyz")
        await controlPlane.shutdown()
    }

    @Test func watchRejectsBadRevision() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        let answer = try await send(.get, url + "/api/v1/watch?revision=abc")
        #expect(answer.status == 400)
        #expect(answer.error?.field == "revision")
        #expect(answer.error?.value == "abc")
        #expect(try await send(.get, url + "/api/v1/watch?revision=0").status == 400)
        await controlPlane.shutdown()
    }

    @Test func readyAfterStart() async throws {
        let (controlPlane, url) = try await startControlPlane(store: .memory)
        #expect(try await send(.get, url + "/readyz").status == 200)
        #expect(try await send(.get, url + "/healthz").status == 200)
        let metrics = try await send(.get, url + "/metrics")
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("http_server_requests_total"))
        await controlPlane.shutdown()
    }
}
