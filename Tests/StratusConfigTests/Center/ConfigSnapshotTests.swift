import Foundation
@testable import StratusConfig
import Testing

@Suite struct ConfigSnapshotTests {
    struct Feature: Decodable, Equatable {
        var newCheckout: Bool
        var rollout: Double
    }

    struct Settings: Decodable, Equatable {
        var feature: Feature
        var timeout: Duration
        var hosts: [String]
    }

    private func release(_ content: ConfigContent, number: Int = 3) -> Release {
        Release(
            namespace: NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "application"),
            number: number, kind: .publish, author: "alice", comment: "", createdAt: Date(timeIntervalSince1970: 0), content: content
        )
    }

    @Test func keyValueItemsDecodeLikeFlags() throws {
        let content = ConfigContent(format: .keyValue, items: [
            ConfigItem(key: "feature.newCheckout", value: "true"),
            ConfigItem(key: "feature.rollout", value: "0.25"),
            ConfigItem(key: "timeout", value: "1m30s"),
            ConfigItem(key: "hosts", value: "[a, b]"),
        ])
        let snapshot = try ConfigSnapshot(release: release(content), name: "x")
        #expect(try snapshot.decode(Settings.self) == Settings(feature: Feature(newCheckout: true, rollout: 0.25), timeout: .seconds(90), hosts: ["a", "b"]))
        #expect(try snapshot.value("feature.newCheckout", as: Bool.self) == true)
        #expect(try snapshot.value("feature.missing", as: Bool.self) == nil)
        #expect(snapshot.string("timeout") == "1m30s")
    }

    @Test func documentsDecode() throws {
        let yaml = ConfigContent(format: .yaml, document: "feature:\n  newCheckout: true\n  rollout: 0.5\ntimeout: 5s\nhosts: [a]\n")
        let json = ConfigContent(format: .json, document: #"{"feature": {"newCheckout": true, "rollout": 0.5}, "timeout": "5s", "hosts": ["a"]}"#)
        let properties = ConfigContent(format: .properties, document: "feature.newCheckout=true\nfeature.rollout=0.5\ntimeout=5s\nhosts=[a]\n")
        let expected = Settings(feature: Feature(newCheckout: true, rollout: 0.5), timeout: .seconds(5), hosts: ["a"])
        for content in [yaml, json, properties] {
            #expect(try ConfigSnapshot(release: release(content), name: "x").decode(Settings.self) == expected, "\(content.format)")
        }
    }

    @Test func jsonStringsStayStrings() throws {
        let snapshot = try ConfigSnapshot(release: release(ConfigContent(format: .json, document: #"{"port": "8080", "flag": "true"}"#)), name: "x")
        #expect(try snapshot.value("port", as: String.self) == "8080")
        #expect(throws: ConfigurationError.self) { try snapshot.value("flag", as: Bool.self) }
    }

    @Test func decodeErrorNamesReleaseKeyAndLine() throws {
        let yaml = try ConfigSnapshot(release: release(ConfigContent(format: .yaml, document: "feature:\n  newCheckout: maybe\n")), name: "x")
        do {
            _ = try yaml.value("feature.newCheckout", as: Bool.self)
            Issue.record("maybe decoded as a Bool")
        } catch {
            #expect(error.description.hasPrefix("iam-apiserver/dev/application release 3, line 2, column 16: feature.newCheckout: expected true or false"), "\(error)")
            #expect(error.description.hasSuffix("fix the namespace in the config center and publish a new release"), "\(error)")
        }
        let items = try ConfigSnapshot(release: release(ConfigContent(format: .keyValue, items: [ConfigItem(key: "limit", value: "ten")])), name: "x")
        do {
            _ = try items.value("limit", as: Int.self)
            Issue.record("ten decoded as an Int")
        } catch {
            #expect(error.description.hasPrefix("iam-apiserver/dev/application release 3: limit: expected an integer"), "\(error)")
        }
    }

    @Test func missingReleaseIsEmpty() throws {
        let snapshot = ConfigSnapshot.empty("iam-apiserver/dev/application")
        #expect(snapshot.release == nil)
        #expect(try snapshot.value("a", as: String.self) == nil)
        #expect(throws: ConfigurationError.self) { try snapshot.decode(Settings.self) }
    }
}
