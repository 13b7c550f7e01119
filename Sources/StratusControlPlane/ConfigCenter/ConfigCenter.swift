public import Foundation
import StratusConfig
public import StratusStore

/// The config center over a `KeyValueStore`: namespaces, drafts, numbered
/// releases, gray releases, rollback, history, the audit log, and the
/// releases instances fetch.
///
/// It keeps no state beyond the store and a cache of immutable releases,
/// so any number of control-plane replicas serve it over one store. Every
/// change is one store transaction that compares the mod revisions of the
/// keys it read. So two concurrent publishes cannot take the same release
/// number, and a draft edit made while another edit or a publish runs is
/// retried on the new draft instead of being lost. The key layout is in
/// `ConfigKeys`.
public struct ConfigCenter: Sendable {
    let store: any KeyValueStore
    let secrets: SecretBox?
    let now: @Sendable () -> Date
    let releaseCache: ReleaseCache

    /// How many times a change is tried again after another writer changed
    /// the keys it read.
    static let maximumAttempts = 32
    /// The largest document, 1 MiB, because a store entry is at most 1.5 MiB.
    public static let maximumDocumentSize = 1 << 20

    /// - Parameters:
    ///   - secretKey: the key that seals secret values; without it, setting
    ///     or serving a secret fails with `secretKeyUnavailable`.
    ///   - now: the clock of release, draft and audit times.
    public init(store: any KeyValueStore, secretKey: SecretKey? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        secrets = secretKey.map(SecretBox.init)
        self.now = now
        releaseCache = ReleaseCache()
    }

    /// The records a change read: the namespace's three records, each with its mod
    /// revision, all at one store revision.
    struct Snapshot: Sendable {
        var meta: NamespaceRecord
        var metaRevision: Int64
        var draft: DraftRecord
        var draftRevision: Int64
        var head: ReleaseHead
        var headRevision: Int64
    }

    /// Reads the namespace's records in one transaction, so they agree.
    func snapshot(_ namespace: NamespaceCoordinates) async throws(ConfigCenterError) -> Snapshot {
        try namespace.validate()
        let keys = [ConfigKeys.meta(namespace), ConfigKeys.draft(namespace), ConfigKeys.head(namespace)]
        let response = try await run(TransactionRequest(success: keys.map { .range(RangeRequest(.key($0))) }))
        let values: [KeyValue?] = response.responses.map { operation in
            if case .range(let range) = operation { return range.keyValues.first }
            return nil
        }
        guard let meta = values[0] else {
            throw ConfigCenterError.namespaceNotFound(namespace)
        }
        guard let draft = values[1], let head = values[2] else {
            throw ConfigCenterError(.unavailable, "namespace \(namespace) has a meta key but no draft or head key; it was written by another tool, so delete \(ConfigKeys.namespacePrefix(namespace)) and create the namespace again", namespace: namespace)
        }
        return Snapshot(
            meta: try decode(NamespaceRecord.self, meta),
            metaRevision: meta.modRevision,
            draft: try decode(DraftRecord.self, draft),
            draftRevision: draft.modRevision,
            head: try decode(ReleaseHead.self, head),
            headRevision: head.modRevision
        )
    }

    /// Runs a transaction, mapping store failures.
    func run(_ request: TransactionRequest) async throws(ConfigCenterError) -> TransactionResponse {
        do {
            return try await store.transaction(request)
        } catch {
            throw Self.storeFailure(error)
        }
    }

    /// Writes `puts` if every key still has the mod revision read; returns
    /// false when another writer came first.
    func commit(unchanged compares: [Compare], puts: [(key: String, value: [UInt8])]) async throws(ConfigCenterError) -> Bool {
        let request = TransactionRequest(compare: compares, success: puts.map { .put(PutRequest(key: Array($0.key.utf8), value: $0.value)) })
        return try await run(request).succeeded
    }

    /// Waits a random 1 to 5 ms before the next attempt, so that writers
    /// that collided do not collide again in step.
    static func backOff() async {
        try? await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
    }

    static func conflictExhausted(_ namespace: NamespaceCoordinates, _ action: String) -> ConfigCenterError {
        ConfigCenterError(.conflict, "namespace \(namespace) kept changing while the \(action) ran; try again", namespace: namespace)
    }

    static func storeFailure(_ error: any Error) -> ConfigCenterError {
        if let error = error as? ConfigCenterError { return error }
        if let error = error as? StoreError, error.code == .invalidArgument {
            return ConfigCenterError(.invalidArgument, error.message)
        }
        return ConfigCenterError(.unavailable, "the store failed: \(error)")
    }

    func encode(_ value: some Encodable) throws(ConfigCenterError) -> [UInt8] {
        do {
            return try ConfigJSON.encode(value)
        } catch {
            throw ConfigCenterError(.invalidArgument, "cannot encode \(type(of: value)): \(error)")
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ keyValue: KeyValue) throws(ConfigCenterError) -> Value {
        do {
            return try ConfigJSON.decode(type, from: keyValue.value)
        } catch {
            throw ConfigCenterError(.unavailable, "the store key \(keyValue.keyString) does not hold a \(type): \(error); it was written by another tool")
        }
    }

    static func validate(author: String) throws(ConfigCenterError) {
        guard !author.isEmpty, author.count <= 128, !author.contains(where: \.isNewline) else {
            throw ConfigCenterError(.invalidArgument, "invalid author \"\(author)\"; expected 1 to 128 characters on one line, such as a user name")
        }
    }
}
