import StratusHTTP
import StratusLog
@testable import StratusTelemetry
import Testing

@Suite struct LoggingRedactorTests {
    let redactor = Redactor.standard

    @Test(arguments: ["Authorization", "proxy-authorization", "COOKIE", "Set-Cookie", "http.request.header.authorization"])
    func credentialHeaders(name: String) {
        #expect(redactor.isSensitive(name))
    }

    @Test(arguments: [
        "password", "db_password", "user.password", "Passwords", "client-secret", "client_secrets",
        "auth.token", "X-Auth-Token", "accessToken", "key", "api_key", "X-Api-Key", "apiKey", "APIKey",
        "signing.keys", "SECRET",
    ])
    func sensitiveWords(name: String) {
        #expect(redactor.isSensitive(name))
    }

    @Test(arguments: [
        "monkey", "keyboard", "tokenizer", "secretary", "passwordless", "turkey", "request.id",
        "http.method", "donkey_count", "Keystone", "", "authorization_mode",
    ])
    func notSensitive(name: String) {
        #expect(!redactor.isSensitive(name))
    }

    @Test func allowedNameIsKept() {
        let custom = Redactor(allowedNames: ["store.key"])
        #expect(!custom.isSensitive("store.key"))
        #expect(custom.isSensitive("store.api_key"))
    }

    @Test func metadataValuesReplaced() {
        let redacted = redactor.redact([
            "db.password": "hunter2",
            "request.id": "r-1",
            "upstream": ["endpoint": "10.0.0.7", "token": "t-1"],
            "items": [["secret": "s-1", "name": "a"]],
            "credentials.key": ["nested": "value"],
        ])

        #expect(redacted["db.password"] == "[REDACTED]")
        #expect(redacted["request.id"] == "r-1")
        #expect(redacted["upstream"] == ["endpoint": "10.0.0.7", "token": "[REDACTED]"])
        #expect(redacted["items"] == [["secret": "[REDACTED]", "name": "a"]])
        #expect(redacted["credentials.key"] == "[REDACTED]")
    }

    @Test func headersReplaced() {
        let fields: HTTPFields = ["Authorization": "Bearer abc", "Cookie": "sid=1", "Accept": "text/plain", "X-Api-Key": "k"]
        let redacted = redactor.redact(fields)

        #expect(redacted["Authorization"] == "[REDACTED]")
        #expect(redacted["Cookie"] == "[REDACTED]")
        #expect(redacted["X-Api-Key"] == "[REDACTED]")
        #expect(redacted["Accept"] == "text/plain")
    }

    @Test func queryParametersReplaced() {
        #expect(redactor.redactQuery("user=ann&api_key=abc&token=t&flag&page=2")
            == "user=ann&api_key=[REDACTED]&token=[REDACTED]&flag&page=2")
    }
}
