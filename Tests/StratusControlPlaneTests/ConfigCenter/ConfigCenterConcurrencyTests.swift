@testable import StratusControlPlane
import StratusConfig
import StratusStore
import Testing

/// Concurrent changes go through store transactions that compare mod
/// revisions, so none is lost and no release number repeats.
@Suite struct ConfigCenterConcurrencyTests {
    @Test func concurrentPublishesTakeDistinctNumbers() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "0"])
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await center.publish(iamApplication, PublishRequest(author: "writer-\(index)")).number
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(2...17))
        let releases = try await store.range(RangeRequest(.prefix(ConfigKeys.releasesPrefix(iamApplication))))
        #expect(releases.count == 17)
        #expect(try await center.info(iamApplication).head.latestRelease == 17)
        let published = try await center.audit(application: "iam-apiserver", environment: "dev", namespace: "application", limit: 100).entries.filter { $0.action == .publish }
        #expect(published.count == 17, "every publish is audited once")
    }

    @Test func concurrentEditsOfDifferentKeysAllLand() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        _ = try await center.createNamespace(iamApplication, CreateNamespaceRequest(format: .keyValue, author: "alice"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    _ = try await center.setItem(iamApplication, key: "key\(index)", SetItemRequest(value: "\(index)", author: "writer-\(index)"))
                }
            }
            try await group.waitForAll()
        }
        let draft = try await center.draft(iamApplication)
        #expect(draft.content.items.count == 20)
        #expect(Set(draft.content.items.map(\.key)) == Set((0..<20).map { "key\($0)" }))
    }

    @Test func editDuringPublishIsNotLost() async throws {
        let (center, store) = try makeConfigCenter()
        defer { Task { await store.close() } }
        try await publishItems(center, ["a": "0"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                group.addTask {
                    _ = try await center.setItem(iamApplication, key: "edit\(index)", SetItemRequest(value: "x", author: "editor"))
                }
                group.addTask {
                    _ = try await center.publish(iamApplication, PublishRequest(author: "publisher"))
                }
            }
            try await group.waitForAll()
        }
        let keys = try await center.draft(iamApplication).content.items.map(\.key)
        #expect(keys.count == 11)
        let final = try await center.publish(iamApplication, PublishRequest(author: "publisher"))
        #expect(final.number == 12)
        #expect(final.content.items.count == 11)
    }
}
