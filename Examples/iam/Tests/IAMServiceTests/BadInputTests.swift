import Foundation
import IAMModel
import StratusHTTP
import Testing

extension IAMProcessTests {
    /// Bad requests to the API server: each gets upstream's status and code,
    /// and none stores anything.
    @Suite struct BadInputTests {
        /// Runs `body` against a deployment of one replica each, then stops it.
        static func withDeployment(_ body: (IAMDeployment, IAMCaller, HTTPFields) async throws -> Void) async throws {
            let deployment = try await IAMDeployment.start(apiservers: 1, authzServers: 1, pumps: 1)
            let flow = CompatibilityFlow(deployment: deployment)
            do {
                let token = try await flow.login("admin", "Admin@2021")
                try await body(deployment, flow.api, flow.api.bearer(token))
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        static let userCases: [(String, String, Int)] = [
            ("malformed JSON", #"{"metadata":{"name":"ana""#, 100003),
            ("wrong type", #"{"metadata":{"name":"ana"},"nickname":5,"password":"User@2021","email":"a@b.org"}"#, 100003),
            ("bad metadata id", #"{"metadata":{"name":"ana","id":"x"},"nickname":"a","password":"User@2021","email":"a@b.org"}"#, 100003),
            ("not an object", #"[1,2]"#, 100003),
            ("empty body", "", 100003),
            ("missing nickname", #"{"metadata":{"name":"ana"},"password":"User@2021","email":"a@b.org"}"#, 100004),
            ("missing password", #"{"metadata":{"name":"ana"},"nickname":"a","email":"a@b.org"}"#, 100004),
            ("missing name", #"{"nickname":"a","password":"User@2021","email":"a@b.org"}"#, 100004),
            ("invalid email", Bodies.user("ana", email: "not-an-email"), 100004),
            ("weak password", Bodies.user("ana", password: "admin2021"), 100004),
            ("long name", Bodies.user(String(repeating: "a", count: 46)), 100004),
            ("slash in name", Bodies.user("team/ana"), 100004),
            ("long phone", #"{"metadata":{"name":"ana"},"nickname":"a","password":"User@2021","email":"a@b.org","phone":"123456789012345678901"}"#, 100004),
            ("duplicate admin", Bodies.user("admin"), 110002),
        ]

        @Test func userCreateRejectsBadInput() async throws {
            try await Self.withDeployment { _, api, auth in
                for (name, body, code) in Self.userCases {
                    let result = try await api.call(.post, "/v1/users", body: body, headers: auth)
                    #expect(result.code == code, "\(name): \(result.text)")
                    #expect(result.status == (code == 110002 || code < 110000 ? 400 : 0), "\(name)")
                    #expect(result.headers["Content-Type"] == "application/json; charset=utf-8")
                }
                let list = try await api.call(.get, "/v1/users", headers: auth)
                #expect(list.object?["totalCount"] as? Int == 1, "only admin is stored: \(list.text)")
                let registered = try await api.call(.post, "/v1/users", body: Bodies.user("eve", isAdmin: 1))
                #expect(registered.status == 200)
                #expect(registered.object?["isAdmin"] == nil, "anonymous registration cannot create an administrator")
            }
        }

        @Test func userRoutesCheckCallers() async throws {
            try await Self.withDeployment { _, api, auth in
                #expect(try await api.call(.post, "/v1/users", body: Bodies.user("ana"), headers: auth).status == 200)
                let basic: HTTPFields = ["Authorization": "Basic " + Data("ana:User@2021".utf8).base64EncodedString()]
                #expect(try await api.call(.get, "/v1/users/ana", headers: basic).status == 200)
                #expect(try await api.call(.delete, "/v1/users/ana", headers: basic).code == 100207)
                #expect(try await api.call(.delete, "/v1/users?name=admin", headers: basic).code == 100207)
                #expect(try await api.call(.put, "/v1/users/admin/change-password", body: #"{"oldPassword":"Admin@2021","newPassword":"Admin@2022"}"#, headers: basic).code == 100207)
                let wrongOld = try await api.call(.put, "/v1/users/ana/change_password", body: #"{"oldPassword":"Nope@2021","newPassword":"Ana@20222"}"#, headers: basic)
                #expect(wrongOld.status == 401)
                #expect(wrongOld.code == 100206)
                #expect(try await api.call(.put, "/v1/users/ana/change-password", body: #"{"oldPassword":"User@2021","newPassword":"weak"}"#, headers: basic).code == 100003)
                #expect(try await api.call(.put, "/v1/users/nobody", body: "{}", headers: auth).code == 110001)
                #expect(try await api.call(.put, "/v1/users/ana", body: #"{"nickname":"","email":"a@b.org"}"#, headers: auth).code == 100004)
                #expect(try await api.call(.get, "/v1/users?offset=abc", headers: auth).code == 100003)
                #expect(try await api.call(.get, "/v1/users?fieldSelector=name", headers: auth).code == 100003)
                #expect(try await api.call(.get, "/v1/users?offset=&limit=1", headers: auth).object?["totalCount"] as? Int == 2)

                #expect(try await api.call(.get, "/v1/users").code == 100204)
                #expect(try await api.call(.get, "/v1/users", headers: ["Authorization": "Token abc"]).code == 100202)
                #expect(try await api.call(.get, "/v1/users", headers: ["Authorization": "Basic !!!"]).code == 100202)
                let wrongPassword = "Basic " + Data("admin:Admin@2020".utf8).base64EncodedString()
                #expect(try await api.call(.get, "/v1/users", headers: ["Authorization": wrongPassword]).code == 100202)
                let unknownMethod = try await api.call(.patch, "/v1/users", headers: auth)
                #expect(unknownMethod.status == 404)
                #expect(unknownMethod.code == 100006)
                #expect(try await api.call(.get, "/v1/nothing").code == 100204)
            }
        }

        @Test func secretsAndPoliciesRejectBadInput() async throws {
            try await Self.withDeployment { deployment, api, auth in
                let secretCases: [(String, String, Int)] = [
                    ("malformed", #"{"metadata":"#, 100003),
                    ("negative expires", Bodies.secret("s", expires: -1), 100004),
                    ("long description", #"{"metadata":{"name":"s"},"description":"\#(String(repeating: "x", count: 256))"}"#, 100004),
                    ("bad name", Bodies.secret("-s"), 100004),
                    ("expires as text", #"{"metadata":{"name":"s"},"expires":"never"}"#, 100003),
                ]
                for (name, body, code) in secretCases {
                    #expect(try await api.call(.post, "/v1/secrets", body: body, headers: auth).code == code, "\(name)")
                }
                #expect(try await api.call(.get, "/v1/secrets", headers: auth).text == #"{"items":[]}"#)
                for index in 0..<10 {
                    #expect(try await api.call(.post, "/v1/secrets", body: Bodies.secret("s\(index)"), headers: auth).status == 200)
                }
                let eleventh = try await api.call(.post, "/v1/secrets", body: Bodies.secret("s10"), headers: auth)
                #expect(eleventh.status == 400)
                #expect(eleventh.code == 110101)

                let policyCases: [(String, String, Int)] = [
                    ("unknown condition", #"{"metadata":{"name":"p"},"policy":{"conditions":{"k":{"type":"TimeCondition","options":{}}}}}"#, 100003),
                    ("bad meta", #"{"metadata":{"name":"p"},"policy":{"meta":"%%%"}}"#, 100003),
                    ("subjects not array", #"{"metadata":{"name":"p"},"policy":{"subjects":"users:ana"}}"#, 100003),
                    ("bad name", #"{"metadata":{"name":"p_"},"policy":{}}"#, 100004),
                ]
                for (name, body, code) in policyCases {
                    #expect(try await api.call(.post, "/v1/policies", body: body, headers: auth).code == code, "\(name)")
                }
                #expect(try await api.call(.get, "/v1/policies", headers: auth).text == #"{"items":[]}"#)
                #expect(try await api.call(.put, "/v1/policies/missing", body: "{}", headers: auth).code == 110201)

                // A broken template is stored, as upstream stores it, and denies
                // at decision time with the compile error as the reason.
                let broken = #"{"metadata":{"name":"broken"},"policy":{"subjects":["users:<peter"],"actions":["delete"],"resources":["<.*>"],"effect":"allow"}}"#
                #expect(try await api.call(.post, "/v1/policies", body: broken, headers: auth).status == 200)
                let secret = try await api.call(.get, "/v1/secrets/s0", headers: auth)
                let token = CompatibilityFlow.accessToken(secretID: try #require(secret.string("secretID")), secretKey: try #require(secret.string("secretKey")))
                let flow = CompatibilityFlow(deployment: deployment)
                var decision = CallResult(status: 0, headers: [:], text: "")
                for _ in 0..<200 {
                    decision = try await flow.authz.call(.post, "/v1/authz", body: Bodies.matchingRequest, headers: flow.authz.bearer(token))
                    if decision.status == 200 && decision.string("reason") != "list policies failed" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(decision.object?["allowed"] as? Bool == false)
                #expect(decision.object?["denied"] as? Bool == true)
                #expect(decision.string("reason")?.contains("users:<peter") == true, "\(decision.text)")
            }
        }
    }
}
