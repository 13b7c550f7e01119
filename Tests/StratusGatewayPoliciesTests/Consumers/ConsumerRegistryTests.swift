@testable import StratusGatewayPolicies
import StratusHTTP
import Testing

@Suite struct ConsumerRegistryTests {
    static let key = "billing-key-0123456789"

    @Test func indexesEveryCredential() throws {
        let hash = try #require(PasswordHash.make(password: "s3cret", method: .sha512crypt))
        let registry = try ConsumerRegistry([
            ConsumerConfiguration(
                username: "billing", customID: "team-42",
                keyAuth: [APIKeyCredential(key: Self.key), APIKeyCredential(keyHash: "sha256:" + SHA256Digest(of: "hashed-key-0123456789").description)],
                basicAuth: [BasicAuthCredential(username: "bill", passwordHash: hash.encoded)],
                jwt: [JWTCredential(issuer: "http://iam", subject: "billing-service")],
                rateLimit: ConsumerRateLimit(rate: 5)
            ),
            ConsumerConfiguration(username: "iam-users", jwt: [JWTCredential(issuer: "http://iam")]),
        ])
        #expect(registry.consumers.map(\.username) == ["billing", "iam-users"])
        #expect(registry.consumer(forKey: SHA256Digest(of: Self.key))?.username == "billing")
        #expect(registry.consumer(forKey: SHA256Digest(of: "hashed-key-0123456789"))?.username == "billing")
        #expect(registry.consumer(forKey: SHA256Digest(of: "other-key-0123456789")) == nil)
        #expect(registry.basicCredential(username: "bill")?.consumer.username == "billing")
        #expect(registry.consumer(issuer: "http://iam", subject: "billing-service")?.username == "billing")
        #expect(registry.consumer(issuer: "http://iam", subject: "alice")?.username == "iam-users", "the issuer-wide credential")
        #expect(registry.consumer(issuer: "http://iam", subject: nil)?.username == "iam-users")
        #expect(registry.consumer(issuer: "http://other", subject: "alice") == nil)
        #expect(registry.consumer(named: "billing")?.rateLimit == ConsumerRateLimit(rate: 5))
        #expect(registry.consumer(named: "billing")?.customID == "team-42")
    }

    func configurationError(_ configurations: [ConsumerConfiguration]) -> PolicyConfigurationError? {
        do {
            _ = try ConsumerRegistry(configurations)
            return nil
        } catch {
            return error
        }
    }

    @Test func duplicatesRejectedWithTheField() {
        let duplicateName = configurationError([ConsumerConfiguration(username: "a"), ConsumerConfiguration(username: "a")])
        #expect(duplicateName?.field == "consumers[1].name")
        let duplicateKey = configurationError([
            ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential(key: Self.key)]),
            ConsumerConfiguration(username: "b", keyAuth: [APIKeyCredential(keyHash: SHA256Digest(of: Self.key).description)]),
        ])
        #expect(duplicateKey?.field == "consumers[1].credentials.keyAuth[0]")
        #expect(duplicateKey?.description.contains(Self.key) == false, "the key never appears in an error")
        let duplicateIssuer = configurationError([
            ConsumerConfiguration(username: "a", jwt: [JWTCredential(issuer: "http://iam")]),
            ConsumerConfiguration(username: "b", jwt: [JWTCredential(issuer: "http://iam")]),
        ])
        #expect(duplicateIssuer?.field == "consumers[1].credentials.jwt[0]")
    }

    @Test func invalidFieldsNamed() {
        let cases: [(ConsumerConfiguration, String)] = [
            (ConsumerConfiguration(username: ""), "consumers[0].name"),
            (ConsumerConfiguration(username: "has space"), "consumers[0].name"),
            (ConsumerConfiguration(username: "a", customID: "x\ny"), "consumers[0].customID"),
            (ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential(key: "short")]), "consumers[0].credentials.keyAuth[0].key"),
            (ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential(keyHash: "sha256:abc")]), "consumers[0].credentials.keyAuth[0].keyHash"),
            (ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential()]), "consumers[0].credentials.keyAuth[0].key"),
            (ConsumerConfiguration(username: "a", keyAuth: [APIKeyCredential(key: Self.key, keyHash: SHA256Digest(of: "x").description)]), "consumers[0].credentials.keyAuth[0]"),
            (ConsumerConfiguration(username: "a", basicAuth: [BasicAuthCredential(username: "a:b", passwordHash: "$6$x$y")]), "consumers[0].credentials.basicAuth[0].username"),
            (ConsumerConfiguration(username: "a", basicAuth: [BasicAuthCredential(username: "ab", passwordHash: "$1$md5$hash")]), "consumers[0].credentials.basicAuth[0].passwordHash"),
            (ConsumerConfiguration(username: "a", basicAuth: [BasicAuthCredential(username: "ab", passwordHash: "plaintext")]), "consumers[0].credentials.basicAuth[0].passwordHash"),
            (ConsumerConfiguration(username: "a", jwt: [JWTCredential(issuer: "")]), "consumers[0].credentials.jwt[0].issuer"),
            (ConsumerConfiguration(username: "a", rateLimit: ConsumerRateLimit(rate: 0)), "consumers[0].rateLimit.rate"),
            (ConsumerConfiguration(username: "a", rateLimit: ConsumerRateLimit(rate: 1, burst: 0)), "consumers[0].rateLimit.burst"),
        ]
        for (configuration, field) in cases {
            #expect(configurationError([configuration])?.field == field, "\(configuration)")
        }
    }

    @Test func consumerHeadersReplaceTheClients() {
        var headers: HTTPFields = ["X-Consumer-Username": "admin", "x-consumer-custom-id": "root", "X-Anonymous-Consumer": "false", "X-Authenticated-Subject": "x", "Accept": "*/*"]
        let consumer = GatewayConsumer(username: "billing", customID: "team-42").authenticated(by: .jwt, subject: "svc")
        ConsumerHeaders.set(consumer, in: &headers)
        #expect(headers.values(for: "X-Consumer-Username") == ["billing"])
        #expect(headers.values(for: "X-Consumer-Custom-Id") == ["team-42"])
        #expect(headers.values(for: "X-Anonymous-Consumer").isEmpty)
        #expect(headers.values(for: "X-Authenticated-Subject") == ["svc"])
        #expect(headers["Accept"] == "*/*")
        var unsafe = HTTPFields()
        ConsumerHeaders.set(GatewayConsumer(username: "b").authenticated(by: .jwt, subject: "line\r\nbreak"), in: &unsafe)
        #expect(unsafe.values(for: "X-Authenticated-Subject").isEmpty, "an unsafe subject is left out")
    }
}
