import Foundation
import StratusHTTP
import StratusKit
import Testing

private struct User: Codable, Equatable {
    var name: String
    var email: String
}

private struct Profile: Decodable {
    struct Contact: Decodable {
        var phone: String
    }

    var contacts: [Contact]
}

/// Serves a small user API: GET and DELETE echo a user, POST and PUT
/// echo the body, and other paths respond with error shapes.
private func startUserService() async throws -> TestInstance {
    try await TestInstance.start { request in
        switch (request.method, String(request.path)) {
        case (.get, "/v1/users/alice"), (.delete, "/v1/users/alice"):
            return try Response.json(User(name: "alice", email: "alice@example.com"))
        case (.post, "/v1/users"), (.put, "/v1/users/alice"):
            let body = try await request.body.collect(upTo: 1 << 20)
            guard request.headers["Content-Type"] == "application/json" else {
                return Response.text("missing content type", status: .unsupportedMediaType)
            }
            return Response(status: .created, headers: ["Content-Type": "application/json"], body: OutgoingBody(bytes: body))
        case (.get, "/v1/users/bob"):
            return Response(
                status: .notFound, headers: ["Content-Type": "application/json"],
                body: OutgoingBody(string: #"{"error":{"code":"not_found","message":"user bob not found"}}"#)
            )
        case (.get, "/v1/plain"):
            return Response.text("quota exceeded for tenant 7\n", status: .tooManyRequests)
        case (.get, "/v1/profile"):
            return Response(status: .ok, body: OutgoingBody(string: #"{"contacts":[{"phone":"1"},{"email":"x"}]}"#))
        default:
            return Response.text("no route", status: .notFound)
        }
    }
}

@Suite struct ServiceClientJSONTests {
    @Test func helpersEncodeAndDecode() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])
        let bob = User(name: "bob", email: "bob@example.com")

        let alice: User = try await client.get("/v1/users/alice")
        #expect(alice == User(name: "alice", email: "alice@example.com"))
        #expect(try await client.post("/v1/users", json: bob, as: User.self) == bob)
        #expect(try await client.put("/v1/users/alice", json: bob, as: User.self) == bob)
        #expect(try await client.delete("/v1/users/alice", as: User.self) == alice)
        let created = try await client.post("/v1/users", json: bob)
        #expect(created.status == .created)
        #expect(service.requests.first?.headers["Accept"] == "application/json")

        client.shutdown()
        await service.stop()
    }

    @Test func jsonErrorBodyBecomesMessage() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.get("/v1/users/bob", as: User.self)
        }
        #expect(error?.code == .unexpectedStatus)
        #expect(error?.status == 404)
        #expect(error?.serverCode == "not_found")
        #expect(error?.message.contains("user bob not found") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("GET /v1/users/bob") == true)

        client.shutdown()
        await service.stop()
    }

    @Test func plainTextErrorBodyBecomesMessage() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.get("/v1/plain", as: User.self)
        }
        #expect(error?.status == 429)
        #expect(error?.serverCode == nil)
        #expect(error?.message.hasSuffix("quota exceeded for tenant 7") == true, "\(error?.message ?? "")")

        client.shutdown()
        await service.stop()
    }

    @Test func decodingFailureNamesTypeAndPath() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.get("/v1/profile", as: Profile.self)
        }
        #expect(error?.code == .decodingFailed)
        #expect(error?.message.contains("Profile") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("missing key \"phone\" at contacts[1]") == true, "\(error?.message ?? "")")

        client.shutdown()
        await service.stop()
    }

    @Test func invalidPathIsRejectedBeforeSending() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.get("v1/users/alice", as: User.self)
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("\"v1/users/alice\"") == true)
        #expect(service.requestCount == 0)

        client.shutdown()
        await service.stop()
    }

    @Test func unencodableBodyIsRejected() async throws {
        let service = try await startUserService()
        let client = try makeClient([service.endpoint])

        let error = await #expect(throws: ServiceClientError.self) {
            try await client.post("/v1/users", json: ["ratio": Double.nan], as: User.self)
        }
        #expect(error?.code == .encodingFailed)
        #expect(service.requestCount == 0)

        client.shutdown()
        await service.stop()
    }
}
