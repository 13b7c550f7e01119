import Foundation
@testable import StratusControlPlane
import StratusConfig
import StratusHTTP
import StratusStore
import Testing

@Suite struct ConfigAPITests {
    /// Starts a control plane on a memory store with a secret key, and a
    /// client of its config API.
    private func start() async throws -> (ControlPlane, ConfigCenterClient, String) {
        let (controlPlane, url) = try await startConfigControlPlane()
        return (controlPlane, try ConfigCenterClient(endpoints: [url]), url)
    }

    @Test func editPublishAndReadOverHTTP() async throws {
        let (controlPlane, client, _) = try await start()
        _ = try await client.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        _ = try await client.setItem(iamApplication, key: "feature.newCheckout", SetItemRequest(value: "true", author: "alice"))
        _ = try await client.setItem(iamApplication, key: "db.password", SetItemRequest(value: "pw", secret: true, author: "alice"))
        let release = try await client.publish(iamApplication, PublishRequest(author: "alice", comment: "first"))
        #expect(release.number == 1)
        #expect(release.content.item("db.password")?.value == "******")
        #expect(try await client.release(iamApplication, number: 1) == release)
        #expect(try await client.history(iamApplication).releases.map(\.number) == [1])
        let current = try await client.currentRelease(iamApplication, instance: "api-1")
        #expect(current.content.item("db.password")?.value == "pw")
        try await client.report(iamApplication, InstanceReport(instance: "api-1", release: 1, status: .applied))
        #expect(try await client.history(iamApplication).releases[0].instances.map(\.instance) == ["api-1"])
        _ = try await client.deleteItem(iamApplication, key: "feature.newCheckout", author: "bob")
        #expect(try await client.diff(iamApplication).items.map(\.kind) == [.removed])
        #expect(try await client.audit(application: "iam-apiserver", limit: 3).entries.map(\.author) == ["bob", "alice", "alice"])
        #expect(try await client.namespaces(application: "iam-apiserver", environment: "dev").namespaces.count == 1)
        await controlPlane.shutdown()
    }

    @Test func errorsCarryCodesAndPlaces() async throws {
        let (controlPlane, client, url) = try await start()
        let missing = await configError { _ = try await client.draft(iamApplication) }
        #expect(missing?.code == .notFound)
        #expect(missing?.namespace == iamApplication)
        let server = NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "server")
        _ = try await client.createNamespace(server, CreateNamespaceRequest(format: .json, author: "alice"))
        #expect(await configError { _ = try await client.createNamespace(server, CreateNamespaceRequest(format: .json, author: "alice")) }?.code == .conflict)
        _ = try await client.setDocument(server, SetDocumentRequest(document: "{\n  \"port\": 80,\n  \"port\": 81\n}", author: "alice"))
        let invalid = try #require(await configError { _ = try await client.publish(server, PublishRequest(author: "alice")) })
        #expect(invalid.code == .invalidContent)
        #expect(invalid.line == 3)
        #expect(invalid.reason?.contains("duplicate key \"port\"") == true)
        let http = HTTPClient()
        defer { http.shutdown() }
        for (method, path, body, status) in [
            (HTTPMethod.get, "/api/v1/config/apps/Bad/envs/dev/namespaces/application", "", 400),
            (.post, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/releases", "{", 400),
            (.post, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/releases", "{}", 400),
            (.post, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/releases", #"{"author": "a"}"#, 422),
            (.get, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/releases/zero", "", 400),
            (.get, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/current?instance=a", "", 404),
            (.get, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/current", "", 400),
            (.get, "/api/v1/config/apps/iam-apiserver/envs/dev/watch?instance=a", "", 400),
            (.get, "/api/v1/config/apps/iam-apiserver/envs/dev/watch?namespaces=application&instance=bad%20id", "", 400),
            (.get, "/api/v1/config/audit?limit=5000", "", 400),
            (.delete, "/api/v1/config/apps/iam-apiserver/envs/dev/namespaces/server/draft/items/a", "", 400),
        ] {
            let request = HTTPClientRequest(method: method, url: url + path, headers: ["Content-Type": "application/json"], body: OutgoingBody(string: body))
            let (response, bytes) = try await http.execute(request, collectingUpTo: 1 << 20)
            #expect(response.status.code == status, "\(method) \(path): \(String(decoding: bytes, as: UTF8.self))")
            let decoded = try? ConfigJSON.decode(ConfigErrorBody.self, from: bytes)
            #expect(decoded != nil, "\(method) \(path) has no ConfigErrorBody")
        }
        await controlPlane.shutdown()
    }

    @Test func watchSendsReleasesAsTheyChange() async throws {
        let (controlPlane, client, url) = try await start()
        try await publishItems(client, ["flag": "one"])
        let canary = try await ConfigWatchReader(baseURL: url, instance: "api-1", labels: "track=canary")
        let stable = try await ConfigWatchReader(baseURL: url, instance: "api-2", labels: "track=stable")
        #expect(canary.status == 200)
        #expect(try await canary.next()?.release?.number == 1)
        #expect(try await stable.next()?.release?.number == 1)

        _ = try await client.setItem(iamApplication, key: "flag", SetItemRequest(value: "two", author: "alice"))
        _ = try await client.startGray(iamApplication, GrayStartRequest(selector: GraySelector(labels: ["track": "canary"]), author: "alice"))
        let gray = try await canary.next()
        #expect(gray?.release?.number == 2)
        #expect(gray?.release?.content.item("flag")?.value == "two")
        _ = try await client.abandonGray(iamApplication, GrayDecisionRequest(author: "alice"))
        #expect(try await canary.next()?.release?.number == 1, "the canary returns to the main release")
        _ = try await client.setItem(iamApplication, key: "flag", SetItemRequest(value: "three", author: "alice"))
        _ = try await client.publish(iamApplication, PublishRequest(author: "alice"))
        #expect(try await canary.next()?.release?.number == 3)
        #expect(try await stable.next()?.release?.number == 3, "the stable instance never saw the gray release")

        let unknown = try await ConfigWatchReader(baseURL: url, namespaces: "nothing", instance: "api-3")
        let none = try await unknown.next()
        #expect(none?.type == ConfigWatchEvent.Kind.none)
        #expect(none?.namespace == "nothing")

        await controlPlane.shutdown()
        #expect(try await canary.next() == nil, "shutdown ends the stream")
        canary.close()
        stable.close()
        unknown.close()
    }
}

/// Creates the iam-apiserver namespace over HTTP and publishes `items`.
func publishItems(_ client: ConfigCenterClient, _ items: [String: String]) async throws {
    _ = try await client.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
    for (key, value) in items.sorted(by: { $0.key < $1.key }) {
        _ = try await client.setItem(iamApplication, key: key, SetItemRequest(value: value, author: "alice"))
    }
    _ = try await client.publish(iamApplication, PublishRequest(author: "alice"))
}
