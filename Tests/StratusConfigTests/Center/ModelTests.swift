import Foundation
@testable import StratusConfig
import Testing

@Suite struct ModelTests {
    @Test func graySelectorMatchesLabelsOrIDs() {
        let selector = GraySelector(labels: ["track": "canary", "zone": "a"], instances: ["api-7"])
        #expect(selector.matches(instanceID: "api-1", labels: ["track": "canary", "zone": "a", "extra": "x"]))
        #expect(!selector.matches(instanceID: "api-1", labels: ["track": "canary"]))
        #expect(selector.matches(instanceID: "api-7", labels: [:]))
        #expect(!GraySelector(instances: ["api-7"]).matches(instanceID: "api-1", labels: ["track": "canary"]))
    }

    @Test func labelsParse() throws {
        #expect(try GraySelector.parse(labels: "track=canary, zone = a") == ["track": "canary", "zone": "a"])
        #expect(try GraySelector.parse(labels: "") == [:])
        #expect(try GraySelector.parse(labels: "k=a=b") == ["k": "a=b"])
        #expect(throws: ConfigCenterError.self) { try GraySelector.parse(labels: "track") }
        #expect(throws: ConfigCenterError.self) { try GraySelector.parse(labels: "=x") }
        #expect(throws: ConfigCenterError.self) { try GraySelector.parse(labels: "a=1,a=2") }
    }

    @Test func headPicksVisibleRelease() {
        var head = ReleaseHead(latestRelease: 4, mainRelease: 3)
        #expect(head.visibleRelease(instanceID: "a", labels: ["track": "canary"]) == 3)
        head.gray = ReleaseHead.Gray(release: 4, selector: GraySelector(labels: ["track": "canary"]), startedAt: Date(), startedBy: "alice")
        #expect(head.visibleRelease(instanceID: "a", labels: ["track": "canary"]) == 4)
        #expect(head.visibleRelease(instanceID: "b", labels: [:]) == 3)
        head.abandonedReleases = [2]
        head.rolledBackReleases = [1]
        #expect([1, 2, 3, 4].map { head.state(of: $0) } == [.rolledBack, .abandoned, .main, .gray])
    }

    @Test(arguments: ["iam-apiserver", "a", "a1-b2"])
    func validNames(name: String) throws {
        try NamespaceCoordinates(application: name, environment: "dev", namespace: "application").validate()
    }

    @Test(arguments: ["", "Iam", "1abc", "a_b", "a/b", String(repeating: "a", count: 64)])
    func invalidNames(name: String) {
        #expect(throws: ConfigCenterError.self) {
            try NamespaceCoordinates(application: "app", environment: name, namespace: "application").validate()
        }
    }

    @Test(arguments: ["a", "feature.newCheckout", "db_url", "a-b.c-d"])
    func validKeys(key: String) throws {
        try ConfigItem.validate(key: key, in: NamespaceCoordinates(application: "a", environment: "b", namespace: "c"))
    }

    @Test(arguments: ["", ".a", "a.", "a..b", "a b", "a/b", "a=b", "a[0]", String(repeating: "k", count: 257)])
    func invalidKeys(key: String) {
        #expect(throws: ConfigCenterError.self) {
            try ConfigItem.validate(key: key, in: NamespaceCoordinates(application: "a", environment: "b", namespace: "c"))
        }
    }

    @Test func maskedContentHidesSecrets() {
        let content = ConfigContent(format: .keyValue, items: [ConfigItem(key: "b", value: "pw", secret: true), ConfigItem(key: "a", value: "1")])
        #expect(content.items.map(\.key) == ["a", "b"], "items are sorted by key")
        #expect(content.masked.items == [ConfigItem(key: "a", value: "1"), ConfigItem(key: "b", value: "******", secret: true)])
    }

    @Test func errorBodyRoundTrips() throws {
        let namespace = NamespaceCoordinates(application: "a", environment: "b", namespace: "c")
        let error = ConfigCenterError(.invalidContent, "m", namespace: namespace, key: "k", line: 3, column: 4, reason: "r")
        let decoded = try ConfigJSON.decode(ConfigErrorBody.self, from: try ConfigJSON.encode(ConfigErrorBody(error))).configCenterError
        #expect(decoded == error)
    }
}
