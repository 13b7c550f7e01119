import Foundation
import IAMModel
import IAMStorage
import StratusHTTP
import StratusKit
import StratusTestSupport
import Testing

/// The flow of marmotedu/iam's smoke test, step by step, against a
/// deployment. `between` runs at named points of the flow, so a test can
/// kill replicas while it runs.
struct CompatibilityFlow {
    let deployment: IAMDeployment
    var between: (String) async throws -> Void = { _ in }
    /// The base URL of a gateway in front of the deployment. When set, every
    /// request of the flow goes through it. When nil, every request goes
    /// through the service client.
    var gatewayURL: String?

    var api: IAMCaller { caller(for: "iam-apiserver") }
    var authz: IAMCaller { caller(for: "iam-authz-server") }

    private func caller(for service: String) -> IAMCaller {
        if let gatewayURL {
            return IAMCaller(baseURL: gatewayURL, http: deployment.http)
        }
        return IAMCaller(client: deployment.clients.client(for: service))
    }

    func run() async throws {
        let token = try await login("admin", "Admin@2021")
        try await between("logged in")
        try await users(token)
        try await between("users done")
        try await secrets(token)
        try await between("secrets done")
        try await policies(token)
        try await between("policies done")
        try await authorization(token)
        try await between("authorization done")
        try await auditRecordsReachThePump()
    }

    func login(_ name: String, _ password: String) async throws -> String {
        let result = try await api.call(.post, "/login", body: #"{"username":"\#(name)","password":"\#(password)"}"#)
        #expect(result.status == 200, "login of \(name): \(result.text)")
        #expect(result.headers["Set-Cookie"]?.hasPrefix("jwt=") == true)
        #expect(result.string("expire") != nil)
        return try #require(result.string("token"))
    }

    func users(_ token: String) async throws {
        let auth = api.bearer(token)
        #expect(try await api.call(.delete, "/v1/users/colin", headers: auth).text == "null")
        let created = try await api.call(.post, "/v1/users", body: Bodies.user("colin"), headers: auth)
        #expect(created.status == 200, "\(created.text)")
        #expect((created.object?["metadata"] as? [String: Any])?["instanceID"] as? String != nil)
        #expect(created.object?["password"] == nil)
        #expect(try await api.call(.post, "/v1/users", body: Bodies.user("mark"), headers: auth).status == 200)
        #expect(try await api.call(.post, "/v1/users", body: Bodies.user("mark")).code == 110002)

        let list = try await api.call(.get, "/v1/users?offset=0&limit=10", headers: auth)
        #expect(list.object?["totalCount"] as? Int == 3)
        #expect((list.object?["items"] as? [[String: Any]])?.count == 3)
        let got = try await api.call(.get, "/v1/users/colin", headers: auth)
        #expect(got.string("email") == "colin@example.org")

        let update = #"{"metadata":{"name":"colin"},"nickname":"colin2","email":"colin2@example.org","phone":"555"}"#
        let updated = try await api.call(.put, "/v1/users/colin", body: update, headers: auth)
        #expect(updated.string("nickname") == "colin2")
        #expect(updated.string("phone") == "555")

        let change = #"{"oldPassword":"User@2021","newPassword":"Colin@2022"}"#
        #expect(try await api.call(.put, "/v1/users/colin/change-password", body: change, headers: auth).text == "null")
        let colinToken = try await login("colin", "Colin@2022")
        #expect(try await api.call(.get, "/v1/users/colin", headers: api.bearer(colinToken)).status == 200)
        #expect(try await api.call(.get, "/v1/users/mark", headers: api.bearer(colinToken)).code == 100207)
        #expect(try await api.call(.get, "/v1/users", headers: api.bearer(colinToken)).code == 100207)

        #expect(try await api.call(.delete, "/v1/users/colin", headers: auth).status == 200)
        #expect(try await api.call(.delete, "/v1/users?name=mark&name=nobody", headers: auth).text == "null")
        #expect(try await api.call(.get, "/v1/users/colin", headers: auth).code == 110001)
        #expect(try await api.call(.get, "/v1/users/mark", headers: auth).code == 110001)
    }

    func secrets(_ token: String) async throws {
        let auth = api.bearer(token)
        let created = try await api.call(.post, "/v1/secrets", body: Bodies.secret("secret0"), headers: auth)
        #expect(created.status == 200, "\(created.text)")
        #expect(created.string("secretID")?.count == 36)
        #expect(created.string("secretKey")?.count == 32)
        #expect(created.string("username") == "admin")
        #expect(try await api.call(.post, "/v1/secrets", body: Bodies.secret("secret0"), headers: auth).code == 110103)

        let list = try await api.call(.get, "/v1/secrets?offset=0&limit=10", headers: auth)
        #expect(list.object?["totalCount"] as? Int == 1)
        let got = try await api.call(.get, "/v1/secrets/secret0", headers: auth)
        #expect(got.string("secretKey") == created.string("secretKey"))
        let updated = try await api.call(.put, "/v1/secrets/secret0", body: #"{"metadata":{"name":"secret0"},"expires":0,"description":"updated"}"#, headers: auth)
        #expect(updated.string("description") == "updated")
        #expect(try await api.call(.put, "/v1/secrets/missing", body: "{}", headers: auth).code == 110102)
        #expect(try await api.call(.delete, "/v1/secrets/secret0", headers: auth).text == "null")
        #expect(try await api.call(.get, "/v1/secrets/secret0", headers: auth).code == 110102)
        #expect(try await api.call(.delete, "/v1/secrets", headers: auth).code == 100006)
    }

    func policies(_ token: String) async throws {
        let auth = api.bearer(token)
        let created = try await api.call(.post, "/v1/policies", body: Bodies.policy("policy0"), headers: auth)
        #expect(created.status == 200, "\(created.text)")
        #expect((created.object?["policy"] as? [String: Any])?["id"] as? String == "policy0")
        #expect(try await api.call(.post, "/v1/policies", body: Bodies.policy("policy0"), headers: auth).code == 110202)
        #expect(try await api.call(.get, "/v1/policies/policy0", headers: auth).status == 200)
        let updated = try await api.call(.put, "/v1/policies/policy0", body: Bodies.policy("policy0", effect: "deny"), headers: auth)
        #expect((updated.object?["policy"] as? [String: Any])?["effect"] as? String == "deny")
        #expect(try await api.call(.delete, "/v1/policies/policy0", headers: auth).text == "null")
        #expect(try await api.call(.get, "/v1/policies/policy0", headers: auth).code == 110201)

        for name in ["policy1", "policy2", "policy3"] {
            #expect(try await api.call(.post, "/v1/policies", body: Bodies.policy(name), headers: auth).status == 200)
        }
        #expect(try await api.call(.get, "/v1/policies?fieldSelector=name%3Dpolicy", headers: auth).object?["totalCount"] as? Int == 3)
        #expect(try await api.call(.delete, "/v1/policies?name=policy1&name=policy2", headers: auth).text == "null")
        let rest = try await api.call(.get, "/v1/policies", headers: auth)
        #expect(rest.object?["totalCount"] as? Int == 1)
        #expect(try await api.call(.delete, "/v1/policies/policy3", headers: auth).status == 200)
    }

    func authorization(_ token: String) async throws {
        let auth = api.bearer(token)
        #expect(try await api.call(.post, "/v1/policies", body: Bodies.policy("authztest"), headers: auth).status == 200)
        let secret = try await api.call(.post, "/v1/secrets", body: Bodies.secret("authztest"), headers: auth)
        let secretID = try #require(secret.string("secretID"))
        let secretKey = try #require(secret.string("secretKey"))
        let accessToken = Self.accessToken(secretID: secretID, secretKey: secretKey)

        // A new secret and policy reach every authorization server shortly
        // after the API response, so each replica is polled until it allows.
        for replica in deployment.replicas(of: "iam-authz-server") where ChildProcessIsAlive(replica) {
            let allowed = try await waitForDecision(at: replica.baseURL, token: accessToken, body: Bodies.matchingRequest)
            #expect(allowed.text == #"{"allowed":true}"#, "\(replica.instanceID): \(allowed.text)")
        }
        let through = try await authz.call(.post, "/v1/authz", body: Bodies.matchingRequest, headers: authz.bearer(accessToken))
        #expect(through.text == #"{"allowed":true}"#)
        let denied = try await authz.call(.post, "/v1/authz", body: Bodies.nonMatchingRequest, headers: authz.bearer(accessToken))
        #expect(denied.status == 200)
        #expect(denied.text == #"{"allowed":false,"denied":true,"reason":"Request was denied by default"}"#)
    }

    /// Posts `body` to one replica until the token is accepted and the
    /// decision allows, for at most 20 seconds; returns the last response.
    func waitForDecision(at baseURL: String, token: String, body: String) async throws -> CallResult {
        var last = CallResult(status: 0, headers: [:], text: "")
        for _ in 0..<200 {
            var request = HTTPClientRequest(method: .post, url: baseURL + "/v1/authz", headers: ["Authorization": "Bearer \(token)"])
            request.body = OutgoingBody(bytes: Array(body.utf8))
            let (response, bytes) = try await deployment.http.execute(request, collectingUpTo: 1 << 20)
            last = CallResult(status: response.status.code, headers: response.headers, text: String(decoding: bytes, as: UTF8.self))
            if last.text == #"{"allowed":true}"# { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    /// Waits (at most 20 seconds) for the pump to store an allowing record
    /// and for the leader to count it.
    func auditRecordsReachThePump() async throws {
        let store = try await deployment.openStore()
        var found = false
        var counted = false
        for _ in 0..<200 where !(found && counted) {
            found = try await store.recentAuditRecords(limit: 100).contains { $0.conclusion.contains("allow access") && $0.username == "admin" }
            counted = try await store.auditStatistics().contains { $0.username == "admin" && $0.allowed >= 1 }
            if !(found && counted) { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(found, "no audit record containing \"allow access\" was stored")
        #expect(counted, "the leader pump did not aggregate the audit records")
        await store.close()
    }

    /// Signs an access token as `iamctl jwt sign` does: HS256, `kid` in the
    /// header, `aud`, `iss`, `iat`, `nbf` and `exp` claims.
    static func accessToken(secretID: String, secretKey: String, expiresIn: Int64 = 7200) -> String {
        let now = Timestamp.now().unixSeconds
        return JSONWebToken.sign(
            claims: [
                "aud": .string("iam.authz.marmotedu.com"), "iss": .string("iamctl"),
                "iat": .integer(now), "nbf": .integer(now), "exp": .integer(now + expiresIn),
            ],
            key: Array(secretKey.utf8),
            header: ["kid": .string(secretID)]
        )
    }
}

func ChildProcessIsAlive(_ service: IAMProcess) -> Bool {
    kill(service.process.pid, 0) == 0
}

import Glibc
