public import IAMHTTP
public import IAMModel
import Synchronization

/// The secrets and policies an authorization server decides with, held in
/// memory and replaced whole on every reload.
///
/// Thread safety: the state is guarded by a `Mutex`; readers get a
/// consistent copy of one snapshot.
public final class AuthorizationCache: Sendable {
    struct State {
        var secrets: [String: SecretEntry] = [:]
        /// Each owner's rules, newest first, the order decisions walk them.
        var policies: [String: [LadonPolicy]] = [:]
        var revision: Int64 = 0
        var isLoaded = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Replaces everything with `snapshot`, unless the cache already contains a
    /// newer revision.
    public func apply(_ snapshot: AuthorizationSnapshot) {
        var secrets: [String: SecretEntry] = [:]
        for secret in snapshot.secrets {
            secrets[secret.secretID] = secret
        }
        var policies: [String: [LadonPolicy]] = [:]
        for entry in snapshot.policies {
            policies[entry.username, default: []].append(entry.policy)
        }
        state.withLock { state in
            guard !state.isLoaded || snapshot.revision >= state.revision else { return }
            state = State(secrets: secrets, policies: policies, revision: snapshot.revision, isLoaded: true)
        }
    }

    public var isLoaded: Bool { state.withLock { $0.isLoaded } }
    public var revision: Int64 { state.withLock { $0.revision } }

    public func secret(id: String) -> SecretEntry? {
        state.withLock { $0.secrets[id] }
    }

    public func policies(of owner: String) -> [LadonPolicy] {
        state.withLock { $0.policies[owner] ?? [] }
    }

    public var counts: (secrets: Int, policies: Int) {
        state.withLock { state in (state.secrets.count, state.policies.values.reduce(0) { $0 + $1.count }) }
    }
}
