/// Placeholder until the embedded store lands: every call fails with `unavailable`.
public final class EmbeddedStore: KeyValueStore {
    public struct Configuration: Sendable {
        /// The SQLite file for durable keys; nil keeps everything in memory.
        public var path: String?

        public init(path: String? = nil) {
            self.path = path
        }
    }

    public init(configuration: Configuration) throws {}

    private static let missing = StoreError(.unavailable, "embedded store not built yet")

    public func range(_ request: RangeRequest) async throws -> RangeResponse { throw Self.missing }
    public func put(_ request: PutRequest) async throws -> PutResponse { throw Self.missing }
    public func delete(_ request: DeleteRequest) async throws -> DeleteResponse { throw Self.missing }
    public func transaction(_ request: TransactionRequest) async throws -> TransactionResponse { throw Self.missing }
    public func grantLease(ttl: Int64, id: LeaseID?) async throws -> LeaseGrant { throw Self.missing }
    public func keepAlive(_ lease: LeaseID) async throws -> Int64 { throw Self.missing }
    public func revokeLease(_ lease: LeaseID) async throws { throw Self.missing }
    public func leaseStatus(_ lease: LeaseID, includeKeys: Bool) async throws -> LeaseStatus { throw Self.missing }
    public func watch(_ request: WatchRequest) -> WatchStream {
        WatchStream(AsyncThrowingStream { $0.finish(throwing: Self.missing) })
    }
    public func compact(revision: Int64) async throws { throw Self.missing }
    public func close() async {}
}
