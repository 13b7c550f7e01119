import Foundation
@testable import StratusControlPlane
import StratusConfig
import StratusStore
import Testing

@Suite struct ConfigCenterTests {
    @Test func publishNumbersReleasesPerNamespace() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        let first = try await publishItems(center, ["a": "1"])
        #expect(first.number == 1)
        #expect(first.kind == .publish)
        #expect(first.author == "alice")
        #expect(first.content.items == [ConfigItem(key: "a", value: "1")])
        _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "2", author: "bob"))
        let second = try await center.publish(iamApplication, PublishRequest(author: "bob", comment: "raise a"))
        #expect(second.number == 2)
        #expect(second.comment == "raise a")
        let other = NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "database")
        #expect(try await publishItems(center, ["b": "1"], namespace: other).number == 1, "numbers count per namespace")
        let info = try await center.info(iamApplication)
        #expect(info.head.latestRelease == 2)
        #expect(info.head.mainRelease == 2)
        #expect(!info.draftChanged)
        let list = try await center.namespaces(application: "iam-apiserver", environment: "dev")
        #expect(list.namespaces.map(\.namespace) == ["application", "database"])
    }

    @Test func releasesAreImmutable() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "1"])
        _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "changed", author: "alice"))
        #expect(try await center.release(iamApplication, number: 1).content.items == [ConfigItem(key: "a", value: "1")])
        #expect(try await center.draft(iamApplication).changed)
    }

    @Test func draftEditsAndErrors() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        let missing = await configError { _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "1", author: "alice")) }
        #expect(missing?.code == .notFound)
        #expect(missing?.message.contains("stratus config create --app iam-apiserver --env dev --namespace application") == true)
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        #expect(await configError { _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .yaml, author: "alice")) }?.code == .conflict)
        #expect(await configError { _ = try await center.setItem(iamApplication, key: "a b", SetItemRequest(value: "1", author: "alice")) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "1", author: "")) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.setDocument(iamApplication, SetDocumentRequest(document: "a: 1", author: "alice")) }?.code == .invalidArgument)
        let absent = await configError { _ = try await center.deleteItem(iamApplication, key: "nothere", author: "alice") }
        #expect(absent?.code == .notFound)
        #expect(absent?.key == "nothere")
        _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "1", author: "alice"))
        let draft = try await center.deleteItem(iamApplication, key: "a", author: "alice")
        #expect(draft.content.items.isEmpty)
        #expect(!draft.changed, "an empty draft before the first release is unchanged")
    }

    @Test func invalidContentPublishesNothing() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        let namespace = NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "server")
        let schema = #"{"properties": {"port": {"type": "integer", "maximum": 65535}}}"#
        _ = try await center.createNamespace(namespace, CreateNamespaceRequest(format: .yaml, schema: schema, author: "alice"))
        _ = try await center.setDocument(namespace, SetDocumentRequest(document: "port: 8080\n", author: "alice"))
        #expect(try await center.publish(namespace, PublishRequest(author: "alice")).number == 1)
        let revision = try await store.range(RangeRequest(.prefix("/stratus/config/"), countOnly: true)).revision
        _ = try await center.setDocument(namespace, SetDocumentRequest(document: "port: 70000\n", author: "alice"))
        let rejected = await configError { _ = try await center.publish(namespace, PublishRequest(author: "alice")) }
        #expect(rejected?.code == .invalidContent)
        #expect(rejected?.line == 1)
        _ = try await center.setDocument(namespace, SetDocumentRequest(document: "port: [\n", author: "alice"))
        #expect(await configError { _ = try await center.publish(namespace, PublishRequest(author: "alice")) }?.code == .invalidContent)
        let info = try await center.info(namespace)
        #expect(info.head.latestRelease == 1)
        #expect(info.head.mainRelease == 1)
        let releases = try await store.range(RangeRequest(.prefix(ConfigKeys.releasesPrefix(namespace))))
        #expect(releases.count == 1)
        #expect(releases.keyValues.allSatisfy { $0.modRevision <= revision })
        let bad = await configError { _ = try await center.setSchema(namespace, SetSchemaRequest(schema: #"{"type": "nope"}"#, author: "alice")) }
        #expect(bad?.code == .invalidArgument)
    }

    @Test func rollbackRestoresPreviousAndResetsDraft() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["flag": "one"])
        _ = try await center.setItem(iamApplication, key: "flag", SetItemRequest(value: "two", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        _ = try await center.setItem(iamApplication, key: "flag", SetItemRequest(value: "three", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        let rollback = try await center.rollback(iamApplication, RollbackRequest(author: "bob"))
        #expect(rollback.number == 4)
        #expect(rollback.kind == .rollback)
        #expect(rollback.rollbackOf == 2)
        #expect(rollback.content.items == [ConfigItem(key: "flag", value: "two")])
        #expect(try await center.draft(iamApplication).content.items == [ConfigItem(key: "flag", value: "two")])
        let again = try await center.rollback(iamApplication, RollbackRequest(author: "bob"))
        #expect(again.rollbackOf == 1, "a second rollback goes below the release the first one restored")
        let explicit = try await center.rollback(iamApplication, RollbackRequest(to: 3, author: "bob"))
        #expect(explicit.content.items == [ConfigItem(key: "flag", value: "three")])
        let history = try await center.history(iamApplication)
        #expect(history.releases.map(\.number) == [6, 5, 4, 3, 2, 1])
        #expect(history.releases.map(\.state) == [.main, .rolledBack, .rolledBack, .rolledBack, .previous, .previous])
        #expect(await configError { _ = try await center.rollback(iamApplication, RollbackRequest(to: 6, author: "bob")) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.rollback(iamApplication, RollbackRequest(to: 99, author: "bob")) }?.code == .invalidArgument)
    }

    @Test func rollbackWithoutEarlierReleaseConflicts() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        #expect(await configError { _ = try await center.rollback(iamApplication, RollbackRequest(author: "bob")) }?.code == .conflict)
        try await publishItems(center, ["a": "1"], create: false)
        #expect(await configError { _ = try await center.rollback(iamApplication, RollbackRequest(author: "bob")) }?.code == .conflict)
    }

    @Test func grayReleaseReachesSelectorOnly() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["flag": "off"])
        _ = try await center.setItem(iamApplication, key: "flag", SetItemRequest(value: "on", author: "alice"))
        let selector = GraySelector(labels: ["track": "canary"], instances: ["api-9"])
        let gray = try await center.startGray(iamApplication, GrayStartRequest(selector: selector, author: "alice", comment: "try on"))
        #expect(gray.number == 2)
        #expect(gray.kind == .gray)
        #expect(gray.gray == selector)
        #expect(try await center.currentRelease(iamApplication, instanceID: "api-1", labels: ["track": "canary"])?.number == 2)
        #expect(try await center.currentRelease(iamApplication, instanceID: "api-9", labels: [:])?.number == 2)
        #expect(try await center.currentRelease(iamApplication, instanceID: "api-2", labels: ["track": "stable"])?.number == 1)
        #expect(await configError { _ = try await center.publish(iamApplication, PublishRequest(author: "alice")) }?.code == .conflict)
        #expect(await configError { _ = try await center.startGray(iamApplication, GrayStartRequest(selector: selector, author: "alice")) }?.code == .conflict)
        let head = try await center.promoteGray(iamApplication, GrayDecisionRequest(author: "bob"))
        #expect(head.mainRelease == 2)
        #expect(head.gray == nil)
        #expect(try await center.currentRelease(iamApplication, instanceID: "api-2", labels: [:])?.number == 2)
        #expect(await configError { _ = try await center.promoteGray(iamApplication, GrayDecisionRequest(author: "bob")) }?.code == .conflict)
    }

    @Test func abandonedGrayReturnsInstancesToMain() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["flag": "off"])
        _ = try await center.setItem(iamApplication, key: "flag", SetItemRequest(value: "on", author: "alice"))
        _ = try await center.startGray(iamApplication, GrayStartRequest(selector: GraySelector(instances: ["api-1"]), author: "alice"))
        let head = try await center.abandonGray(iamApplication, GrayDecisionRequest(author: "alice", comment: "bad idea"))
        #expect(head.abandonedReleases == [2])
        #expect(try await center.currentRelease(iamApplication, instanceID: "api-1", labels: [:])?.number == 1)
        let history = try await center.history(iamApplication)
        #expect(history.releases.map(\.state) == [.abandoned, .main])
        let rollback = await configError { _ = try await center.rollback(iamApplication, RollbackRequest(author: "alice")) }
        #expect(rollback?.code == .conflict, "release 1 is the main one and nothing earlier exists")
    }

    @Test func graySelectorIsValidated() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "1"])
        #expect(await configError { _ = try await center.startGray(iamApplication, GrayStartRequest(selector: GraySelector(), author: "a")) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.startGray(iamApplication, GrayStartRequest(selector: GraySelector(instances: ["bad id"]), author: "a")) }?.code == .invalidArgument)
    }

    @Test func diffBetweenVersions() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "1", "b": "2"])
        _ = try await center.setItem(iamApplication, key: "b", SetItemRequest(value: "3", author: "alice"))
        _ = try await center.setItem(iamApplication, key: "c", SetItemRequest(value: "4", author: "alice"))
        let pending = try await center.diff(iamApplication, from: nil, to: nil)
        #expect(pending.from == "1")
        #expect(pending.to == "draft")
        #expect(pending.items.map(\.key) == ["b", "c"])
        #expect(pending.items.map(\.kind) == [.changed, .added])
        let fromNothing = try await center.diff(iamApplication, from: "none", to: "1")
        #expect(fromNothing.items.map(\.kind) == [.added, .added])
        #expect(await configError { _ = try await center.diff(iamApplication, from: "latest", to: nil) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.diff(iamApplication, from: "7", to: nil) }?.code == .notFound)
    }

    @Test func auditLogRecordsEveryChange() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "1"])
        _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "2", author: "bob"))
        _ = try await center.startGray(iamApplication, GrayStartRequest(selector: GraySelector(labels: ["track": "canary"]), author: "bob"))
        _ = try await center.promoteGray(iamApplication, GrayDecisionRequest(author: "carol"))
        _ = try await center.rollback(iamApplication, RollbackRequest(author: "dave"))
        let log = try await center.audit(application: "iam-apiserver", environment: "dev", namespace: "application", limit: 100)
        #expect(log.entries.map(\.action) == [.rollback, .grayPromote, .grayStart, .setItem, .publish, .setItem, .createNamespace])
        #expect(log.entries.map(\.author) == ["dave", "carol", "bob", "bob", "alice", "alice", "alice"])
        #expect(log.entries.first?.release == 3)
        #expect(log.entries[3].key == "a")
        #expect(zip(log.entries, log.entries.dropFirst()).allSatisfy { $0.time >= $1.time })
        #expect(try await center.audit(application: "iam-apiserver", environment: nil, namespace: nil, limit: 2).entries.count == 2)
        #expect(try await center.audit(application: "other", environment: nil, namespace: nil, limit: 10).entries.isEmpty)
        #expect(await configError { _ = try await center.audit(application: nil, environment: "dev", namespace: nil, limit: 10) }?.code == .invalidArgument)
        #expect(await configError { _ = try await center.audit(application: nil, environment: nil, namespace: nil, limit: 0) }?.code == .invalidArgument)
    }

    @Test func historyShowsInstanceReports() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "1"])
        _ = try await center.setItem(iamApplication, key: "a", SetItemRequest(value: "2", author: "alice"))
        _ = try await center.publish(iamApplication, PublishRequest(author: "alice"))
        try await center.report(iamApplication, InstanceReport(instance: "api-1", release: 2, status: .applied))
        try await center.report(iamApplication, InstanceReport(instance: "api-2", release: 2, status: .refused, reason: "limit: expected an integer"))
        try await center.report(iamApplication, InstanceReport(instance: "api-3", release: 1, status: .applied))
        let history = try await center.history(iamApplication)
        #expect(history.releases[0].instances.map(\.instance) == ["api-1", "api-2"])
        #expect(history.releases[0].instances.map(\.status) == [.applied, .refused])
        #expect(history.releases[0].instances[1].reason == "limit: expected an integer")
        #expect(history.releases[0].instances[0].reportedAt != nil)
        #expect(history.releases[1].instances.map(\.instance) == ["api-3"])
        try await center.report(iamApplication, InstanceReport(instance: "api-3", release: 2, status: .applied))
        #expect(try await center.history(iamApplication).releases[1].instances.isEmpty, "a new report replaces the instance's old one")
        #expect(await configError { try await center.report(iamApplication, InstanceReport(instance: "a b", release: 1, status: .applied)) }?.code == .invalidArgument)
        #expect(await configError { try await center.report(iamApplication, InstanceReport(instance: "a", release: 0, status: .applied)) }?.code == .invalidArgument)
    }

    @Test func documentNamespacesPublishTheirText() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        for format in [NamespaceFormat.yaml, .json, .properties] {
            let namespace = NamespaceCoordinates(application: "app", environment: "dev", namespace: "doc-\(format.rawValue)")
            let document = switch format {
            case .yaml: "a: 1\n"
            case .json: #"{"a": 1}"#
            default: "a=1\n"
            }
            _ = try await center.createNamespace(namespace, CreateNamespaceRequest(format: format, author: "alice"))
            #expect(await configError { _ = try await center.setItem(namespace, key: "a", SetItemRequest(value: "1", author: "alice")) }?.code == .invalidArgument)
            _ = try await center.setDocument(namespace, SetDocumentRequest(document: document, author: "alice"))
            let release = try await center.publish(namespace, PublishRequest(author: "alice"))
            #expect(release.content.document == document)
            #expect(release.content.format == format)
        }
    }
}
