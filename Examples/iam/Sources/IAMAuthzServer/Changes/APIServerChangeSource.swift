public import IAMHTTP
public import StratusKit

/// Reads snapshots and follows the change log of `iam-apiserver` through
/// the service client, so any replica may respond and failed calls are
/// retried on another.
public struct APIServerChangeSource: ChangeSource {
    let client: ServiceClient
    let token: String
    /// How long one change-feed request waits for a change. It must stay
    /// below the service client's per-try timeout.
    let wait: Duration

    public init(client: ServiceClient, token: String, wait: Duration) {
        self.client = client
        self.token = token
        self.wait = wait
    }

    public func snapshot() async throws -> AuthorizationSnapshot {
        try await client.get("/internal/v1/authorization-snapshot", as: AuthorizationSnapshot.self, headers: [internalTokenHeader: token])
    }

    public func changes(after revision: Int64) async throws -> ChangeBatch {
        let milliseconds = wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000
        return try await client.get("/internal/v1/changes?after=\(revision)&waitMs=\(milliseconds)", as: ChangeBatch.self, headers: [internalTokenHeader: token])
    }
}
