import Foundation
import StratusHTTP
import StratusTestSupport
import Testing

extension IAMProcessTests {
    /// The IAM services behind `stratus gateway`, configured with the
    /// gateway section of Examples/iam/stratus.yaml as `make up` runs them.
    /// Every request goes through the gateway.
    @Suite struct GatewayFlowTests {
        /// Starts a deployment and a gateway in front of it, runs `body`, and
        /// stops both. An error that `body` throws is recorded with the end of
        /// the gateway's log, unless a failed `#require` recorded it already.
        static func withGateway(
            apiservers: Int = 1, authzServers: Int = 1, pumps: Int = 1,
            _ body: (IAMDeployment, GatewayProcess) async throws -> Void
        ) async throws {
            let deployment = try await IAMDeployment.start(apiservers: apiservers, authzServers: authzServers, pumps: pumps)
            do {
                let gateway = try await IAMGateway.start(for: deployment)
                do {
                    try await body(deployment, gateway)
                } catch is ExpectationFailedError {
                } catch {
                    Issue.record(error, "gateway log: \(gateway.logTail())")
                }
                gateway.stop()
            } catch {
                Issue.record(error)
            }
            await deployment.stop()
        }

        @Test func flowPassesThroughGateway() async throws {
            try await Self.withGateway { deployment, gateway in
                var flow = CompatibilityFlow(deployment: deployment)
                flow.gatewayURL = gateway.url
                try await flow.run()
            }
        }

        /// Runs two replicas of each service and kills one of each with
        /// SIGKILL at a different point of the flow. The gateway must send
        /// every later request to the survivors.
        @Test func gatewayFlowSurvivesKilledReplicas() async throws {
            try await Self.withGateway(apiservers: 2, authzServers: 2, pumps: 2) { deployment, gateway in
                var flow = CompatibilityFlow(deployment: deployment)
                flow.gatewayURL = gateway.url
                flow.between = { point in CompatibilityFlowTests.killOneReplica(of: deployment, at: point) }
                try await flow.run()
            }
        }

        /// The spec allows each client address a burst of 10 logins, then one
        /// per second. Failed logins count too, and other routes stay open.
        @Test func loginRateLimitAnswers429() async throws {
            try await Self.withGateway { deployment, gateway in
                let caller = IAMCaller(baseURL: gateway.url, http: deployment.http)
                let wrongLogin = #"{"username":"nobody","password":"Wrong@2021"}"#
                var statuses: [Int] = []
                var limited: CallResult?
                for _ in 0..<60 {
                    let result = try await caller.call(.post, "/login", body: wrongLogin)
                    statuses.append(result.status)
                    if result.status == 429 {
                        limited = result
                        break
                    }
                }
                #expect(Array(statuses.prefix(10)) == Array(repeating: 401, count: 10), "\(statuses)")
                let rejected = try #require(limited, "no 429 after \(statuses.count) logins: \(statuses)")
                #expect(rejected.string("reason") == "rate_limited", "\(rejected.text)")
                #expect(rejected.headers["Retry-After"] != nil)
                #expect(rejected.headers["WWW-Authenticate"] == nil, "the gateway answered, not the API server")

                let registered = try await caller.call(.post, "/v1/users", body: Bodies.user("ana"))
                #expect(registered.status == 200, "\(registered.text)")
                let basic: HTTPFields = ["Authorization": "Basic " + Data("ana:User@2021".utf8).base64EncodedString()]
                #expect(try await caller.call(.get, "/v1/users/ana", headers: basic).status == 200)
                #expect(try await caller.call(.post, "/login", body: wrongLogin).status == 429)
            }
        }

        /// Bad requests pass through the gateway unchanged: each gets the
        /// contract's status and code from the service, and nothing is stored.
        @Test func badInputKeepsContractCodes() async throws {
            try await Self.withGateway { deployment, gateway in
                let caller = IAMCaller(baseURL: gateway.url, http: deployment.http)
                var flow = CompatibilityFlow(deployment: deployment)
                flow.gatewayURL = gateway.url
                let auth = caller.bearer(try await flow.login("admin", "Admin@2021"))

                let cases: [(name: String, path: String, body: String?, headers: HTTPFields, status: Int, code: Int)] = [
                    ("malformed user JSON", "/v1/users", #"{"metadata":{"name":"ana""#, auth, 400, 100003),
                    ("user without nickname", "/v1/users", #"{"metadata":{"name":"ana"},"password":"User@2021","email":"a@b.org"}"#, auth, 400, 100004),
                    ("malformed secret JSON", "/v1/secrets", #"{"metadata":"#, auth, 400, 100003),
                    ("secret with negative expires", "/v1/secrets", Bodies.secret("bad", expires: -1), auth, 400, 100004),
                    ("malformed policy JSON", "/v1/policies", "{", auth, 400, 100003),
                    ("policy with unknown condition", "/v1/policies", #"{"metadata":{"name":"p"},"policy":{"conditions":{"a":{"type":"NoSuchCondition"}}}}"#, auth, 400, 100003),
                    ("secret without Authorization", "/v1/secrets", Bodies.secret("bad"), [:], 401, 100204),
                    ("secret with unknown scheme", "/v1/secrets", Bodies.secret("bad"), ["Authorization": "Digest abc"], 401, 100202),
                    ("authz without Authorization", "/v1/authz", Bodies.matchingRequest, [:], 401, 100205),
                    ("authz with a forged token", "/v1/authz", Bodies.matchingRequest, caller.bearer("e30.e30.c2ln"), 401, 100202),
                ]
                for test in cases {
                    let result = try await caller.call(.post, test.path, body: test.body, headers: test.headers)
                    #expect(result.status == test.status, "\(test.name): \(result.text)")
                    #expect(result.code == test.code, "\(test.name): \(result.text)")
                    #expect(result.headers["Content-Type"] == "application/json; charset=utf-8", "\(test.name)")
                    #expect(result.headers["X-Request-ID"] != nil, "\(test.name)")
                }

                let login = try await caller.call(.post, "/login", body: #"{"username":"admin""#)
                #expect(login.status == 401)
                #expect(login.text == #"{"message":"incorrect Username or Password"}"#)
                #expect(login.headers["WWW-Authenticate"] == "JWT realm=JWT")

                #expect(try await caller.call(.get, "/v1/users", headers: auth).object?["totalCount"] as? Int == 1)
                #expect(try await caller.call(.get, "/v1/secrets", headers: auth).text == #"{"items":[]}"#)
                #expect(try await caller.call(.get, "/v1/policies", headers: auth).text == #"{"items":[]}"#)

                try await Self.expectMalformedDecisionRejected(caller: caller, auth: auth)
            }
        }

        /// Creates a secret, signs an access token with it, and expects 400
        /// 100003 for a malformed decision request through the gateway.
        static func expectMalformedDecisionRejected(caller: IAMCaller, auth: HTTPFields) async throws {
            let secret = try await caller.call(.post, "/v1/secrets", body: Bodies.secret("gateway"), headers: auth)
            let token = CompatibilityFlow.accessToken(
                secretID: try #require(secret.string("secretID")), secretKey: try #require(secret.string("secretKey"))
            )
            // The new secret reaches the authorization server shortly after
            // the API response. Until then the token is rejected with 401.
            var result = CallResult(status: 0, headers: [:], text: "")
            for _ in 0..<200 {
                result = try await caller.call(.post, "/v1/authz", body: #"{"subject":"#, headers: caller.bearer(token))
                if result.status != 401 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(result.status == 400, "\(result.text)")
            #expect(result.code == 100003, "\(result.text)")
        }

        /// Paths outside the API's routes never reach a service. The internal
        /// endpoints and the services' metrics get the gateway's 404, and
        /// paths that a service could read differently get the gateway's 400.
        @Test func gatewayRejectsPathsOutsideTheAPI() async throws {
            try await Self.withGateway { deployment, gateway in
                let caller = IAMCaller(baseURL: gateway.url, http: deployment.http)
                let internalToken: HTTPFields = ["X-IAM-Internal-Token": IAMDeployment.internalToken]
                for path in ["/internal/v1/authorization-snapshot", "/internal/v1/changes?after=0", "/metrics", "/v1", "/v1/usersx"] {
                    let result = try await caller.call(.get, path, headers: internalToken)
                    #expect(result.status == 404, "\(path): \(result.text)")
                    #expect(result.string("reason") == "no_route", "\(path): \(result.text)")
                }
                for path in ["/v1/users/%2e%2e/%2e%2e/internal/v1/changes", "/v1/users/a%2Fb", "/v1/users/%zz"] {
                    let result = try await caller.call(.get, path, headers: internalToken)
                    #expect(result.status == 400, "\(path): \(result.text)")
                    #expect(result.text.contains("secretKey") == false, "\(path)")
                }
            }
        }
    }
}
