import Foundation
import IAMModel
import StratusHTTP
import Testing

extension IAMProcessTests {
    /// Session tokens at the API server and access tokens at the
    /// authorization server, good and bad.
    @Suite struct TokenTests {
        static let key = Array(IAMDeployment.jwtKey.utf8)

        static func session(_ claims: [String: JSONValue], key: [UInt8] = key, algorithm: HMACAlgorithm = .sha256) -> HTTPFields {
            ["Authorization": "Bearer " + JSONWebToken.sign(claims: claims, key: key, algorithm: algorithm)]
        }

        @Test func sessionTokenFailures() async throws {
            try await IAMProcessTests.BadInputTests.withDeployment { _, api, auth in
                let now = Timestamp.now().unixSeconds
                let cases: [(String, HTTPFields, Int, String)] = [
                    ("expired", Self.session(["identity": .string("admin"), "exp": .integer(now - 10)]), 401, "Token is expired"),
                    ("foreign key", Self.session(["identity": .string("admin"), "exp": .integer(now + 60)], key: Array("another-key".utf8)), 401, "signature is invalid"),
                    ("wrong algorithm", Self.session(["identity": .string("admin"), "exp": .integer(now + 60)], algorithm: .sha512), 401, "invalid signing algorithm"),
                    ("garbage", ["Authorization": "Bearer abc"], 401, "token contains an invalid number of segments"),
                    ("no exp", Self.session(["identity": .string("admin")]), 400, "missing exp field"),
                    ("text exp", Self.session(["identity": .string("admin"), "exp": .string("soon")]), 400, "exp must be float64 format"),
                    ("numeric identity", Self.session(["identity": .integer(1), "exp": .integer(now + 60)]), 403, "you don't have permission to access this resource"),
                    ("future iat", Self.session(["identity": .string("admin"), "exp": .integer(now + 60), "iat": .integer(now + 3600)]), 401, "Token used before issued"),
                ]
                for (name, headers, status, message) in cases {
                    let result = try await api.call(.get, "/v1/users", headers: headers)
                    #expect(result.status == status, "\(name): \(result.text)")
                    #expect(result.text == #"{"message":"\#(message)"}"#, "\(name)")
                    #expect(result.headers["WWW-Authenticate"] == "JWT realm=JWT", "\(name)")
                }

                let badLogins = [#"{"username":"admin","password":"Wrong@2021"}"#, #"{"username":"admin""#, #"{"username":"admin","password":"admin"}"#, #"{"username":"nobody","password":"Admin@2021"}"#]
                for body in badLogins {
                    let result = try await api.call(.post, "/login", body: body)
                    #expect(result.status == 401, "\(body)")
                    #expect(result.text == #"{"message":"incorrect Username or Password"}"#)
                }
                let basicLogin = try await api.call(.post, "/login", headers: ["Authorization": "Basic " + Data("admin:Admin@2021".utf8).base64EncodedString()])
                #expect(basicLogin.status == 200)

                let refreshed = try await api.call(.post, "/refresh", headers: auth)
                #expect(refreshed.status == 200)
                #expect(try await api.call(.get, "/v1/users", headers: api.bearer(try #require(refreshed.string("token")))).status == 200)
                let expiredButRecent = Self.session(["identity": .string("admin"), "exp": .integer(now - 10), "orig_iat": .integer(now - 100)])
                #expect(try await api.call(.post, "/refresh", headers: expiredButRecent).status == 200)
                let tooOld = Self.session(["identity": .string("admin"), "exp": .integer(now - 10), "orig_iat": .integer(now - 200_000)])
                #expect(try await api.call(.post, "/refresh", headers: tooOld).text == #"{"message":"token is expired"}"#)
                #expect(try await api.call(.post, "/refresh").text == #"{"message":"cookie token is empty"}"#)
                let logout = try await api.call(.post, "/logout")
                #expect(logout.text == "null")
                #expect(logout.headers["Set-Cookie"] == "jwt=; Path=/; Max-Age=0")
            }
        }

        @Test func accessTokenFailures() async throws {
            try await IAMProcessTests.BadInputTests.withDeployment { deployment, api, auth in
                #expect(try await api.call(.post, "/v1/policies", body: Bodies.policy("articles"), headers: auth).status == 200)
                let expiredAt = Timestamp.now().unixSeconds - 10
                // The expired secret is created first, so that once the authorization
                // server accepts the live one it has loaded the expired one too.
                let old = try await api.call(.post, "/v1/secrets", body: Bodies.secret("old", expires: expiredAt), headers: auth)
                let live = try await api.call(.post, "/v1/secrets", body: Bodies.secret("live"), headers: auth)
                let secretID = try #require(live.string("secretID"))
                let secretKey = try #require(live.string("secretKey"))
                let good = CompatibilityFlow.accessToken(secretID: secretID, secretKey: secretKey)
                let flow = CompatibilityFlow(deployment: deployment)
                let replica = deployment.replicas(of: "iam-authz-server")[0]
                #expect(try await flow.waitForDecision(at: replica.baseURL, token: good, body: Bodies.matchingRequest).text == #"{"allowed":true}"#)

                let authz = flow.authz
                let now = Timestamp.now().unixSeconds
                let noneHeader = Base64URL.encode(Array(#"{"alg":"none","kid":"\#(secretID)"}"#.utf8))
                let cases: [(String, HTTPFields, Int)] = [
                    ("missing", [:], 100205),
                    ("empty", ["Authorization": ""], 100205),
                    ("not bearer", ["Authorization": "Basic abc"], 100202),
                    ("lower-case bearer", ["Authorization": "bearer \(good)"], 100202),
                    ("garbage", ["Authorization": "Bearer abc.def"], 100202),
                    ("foreign key", authz.bearer(JSONWebToken.sign(claims: [:], key: Array("other".utf8), header: ["kid": .string(secretID)])), 100202),
                    ("unknown kid", authz.bearer(JSONWebToken.sign(claims: [:], key: Array(secretKey.utf8), header: ["kid": .string("nope")])), 100202),
                    ("kid as claim", authz.bearer(JSONWebToken.sign(claims: ["kid": .string(secretID)], key: Array(secretKey.utf8))), 100202),
                    ("expired claim", authz.bearer(JSONWebToken.sign(claims: ["exp": .integer(now - 5)], key: Array(secretKey.utf8), header: ["kid": .string(secretID)])), 100202),
                    ("not yet valid", authz.bearer(JSONWebToken.sign(claims: ["nbf": .integer(now + 600)], key: Array(secretKey.utf8), header: ["kid": .string(secretID)])), 100202),
                    ("alg none", ["Authorization": "Bearer \(noneHeader).e30."], 100202),
                    ("expired secret", authz.bearer(CompatibilityFlow.accessToken(secretID: try #require(old.string("secretID")), secretKey: try #require(old.string("secretKey")))), 100203),
                ]
                for (name, headers, code) in cases {
                    let result = try await authz.call(.post, "/v1/authz", body: Bodies.matchingRequest, headers: headers)
                    #expect(result.code == code, "\(name): \(result.text)")
                    #expect(result.status == 401, "\(name)")
                }
                let hs384 = JSONWebToken.sign(claims: ["exp": .integer(now + 60)], key: Array(secretKey.utf8), algorithm: .sha384, header: ["kid": .string(secretID)])
                #expect(try await authz.call(.post, "/v1/authz", body: Bodies.matchingRequest, headers: authz.bearer(hs384)).text == #"{"allowed":true}"#)
                let malformed = try await authz.call(.post, "/v1/authz", body: #"{"subject":5}"#, headers: authz.bearer(good))
                #expect(malformed.status == 400)
                #expect(malformed.code == 100003)
                let spoofed = #"{"subject":"users:peter","action":"delete","resource":"resources:articles:x","context":{"remoteIP":"192.168.0.5","username":"mallory"}}"#
                #expect(try await authz.call(.post, "/v1/authz", body: spoofed, headers: authz.bearer(good)).text == #"{"allowed":true}"#)
                let unmatched = try await authz.call(.get, "/v1/other", headers: authz.bearer(good))
                #expect(unmatched.status == 404)
                #expect(unmatched.code == 100006)
                #expect(try await authz.call(.get, "/v1/other").code == 100205)
            }
        }
    }
}
