import Synchronization

/// A `KeyValueStore` backed by an etcd v3 cluster (tested with etcd 3.4),
/// reached through etcd's JSON gateway over `StratusHTTP.HTTPClient`.
///
/// ```swift
/// let store = try EtcdStore(endpoints: ["http://127.0.0.1:2379", "http://127.0.0.1:22379"])
/// try await store.put("config/mode", "active")
/// ```
///
/// Failover: requests go to the member that last worked and move to the next
/// member when it fails. A request that could not connect is always sent to
/// the next member, because nothing can have applied. Reads (`range`, a
/// transaction without writes) and lease calls (`grantLease` without an
/// identifier, `keepAlive`, `revokeLease`, `leaseStatus`) also move on after
/// the connection broke or the member timed out or reported itself
/// unavailable. They go round the members again for up to `requestTimeout`
/// while one of them is reachable, as etcd's clientv3 retries them, which
/// carries them through a leader election. Writes (`put`, `delete`, a
/// transaction with writes, `compact`, `grantLease` with an identifier) that
/// may have reached etcd are not sent again, because they may have applied:
/// they fail with `unavailable` or `timedOut`, and the caller decides whether
/// to repeat them. etcd 3.4 rejects a write sent while the cluster elects a
/// leader with "request timed out" after about 7 s, which is `timedOut`.
/// Watches reconnect on their own; see `watch(_:)`.
///
/// Every request is checked with `RequestValidation` first, so malformed
/// input fails with `invalidArgument` without a request being sent.
public final class EtcdStore: KeyValueStore {
    let gateway: EtcdGateway
    let watches: EtcdWatchRegistry
    let configuration: Configuration
    /// The highest revision seen in any response; see `watch(_:)`.
    private let observedRevision = Atomic<Int64>(0)
    private let closed = Atomic<Bool>(false)

    /// Creates a store for the cluster whose members' client URLs are
    /// `endpoints`. It connects on the first request.
    ///
    /// - Throws: `invalidArgument` naming the endpoint when one is not
    ///   `http://host:port`, or when the list is empty.
    public init(endpoints: [String], configuration: Configuration = .init()) throws(StoreError) {
        guard !endpoints.isEmpty else {
            throw .invalid("missing etcd endpoints: pass at least one client URL, such as http://127.0.0.1:2379")
        }
        var parsed: [EtcdEndpoint] = []
        for text in endpoints {
            parsed.append(try EtcdEndpoint(parsing: text))
        }
        self.configuration = configuration
        gateway = EtcdGateway(endpoints: parsed, configuration: configuration)
        watches = EtcdWatchRegistry(configuration: configuration)
    }

    /// Posts a request after checking that the store is open, and records
    /// the revision of the response's header.
    func post(_ path: String, _ body: [String: Any], retry: EtcdGateway.RetryPolicy) async throws(StoreError) -> GatewayObject {
        guard !closed.load(ordering: .relaxed) else {
            throw StoreError(.closed, "the etcd store was closed; create a new one")
        }
        let response = try await gateway.post(path, GatewayJSON.encode(body), retry: retry)
        observe(try response.headerRevision())
        return response
    }

    func observe(_ revision: Int64) {
        observedRevision.max(revision, ordering: .relaxed)
    }

    var latestObservedRevision: Int64 {
        observedRevision.load(ordering: .relaxed)
    }

    /// Ends every watch with `closed`, closes idle connections and rejects
    /// later calls with `closed`. Requests in flight finish.
    public func close() async {
        closed.store(true, ordering: .relaxed)
        watches.closeAll()
        gateway.shutdown()
    }
}
