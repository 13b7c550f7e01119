import StratusHTTP
import StratusLog
import Synchronization

/// Sends JSON requests to etcd's gRPC gateway on the members of one cluster,
/// moving to the next member when the current one fails.
///
/// Every request starts at the preferred member, the one that last worked.
/// When a member fails in a way another member may not (see
/// `EtcdAttemptFailure.memberFailed`), the preferred member advances and the
/// request may move on, following etcd's clientv3 (3.4):
/// - A request that never reached a member (the connection could not be
///   opened) always moves on, because nothing can have applied.
/// - A `repeatable` request moves on after any member failure, even one that
///   reached etcd, like clientv3's reads and lease calls.
/// - An `atMostOnce` request (a write) that may have reached etcd fails with
///   the member's error instead, because it may have applied: repeating it
///   could apply it twice. The caller decides whether to repeat it.
///
/// A `repeatable` request that every member failed goes through the members
/// again after a pause when at least one of them was reachable (it returned
/// unavailable or timed out, as members do while the cluster elects a
/// leader). It starts no new round once `requestTimeout` has passed since it
/// started, as clientv3 retries such requests until the caller's deadline.
/// When no member can be connected to, the request fails at once with
/// `unavailable`.
final class EtcdGateway: Sendable {
    enum RetryPolicy: Sendable {
        case repeatable
        case atMostOnce
    }

    let endpoints: [EtcdEndpoint]
    private let client: HTTPClient
    private let preferred = Atomic<Int>(0)
    private let maxResponseSize: Int
    private let retryWindow: Duration
    private let logger: Logger

    init(endpoints: [EtcdEndpoint], configuration: EtcdStore.Configuration) {
        self.endpoints = endpoints
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.connectTimeout
        http.requestTimeout = configuration.requestTimeout
        http.readTimeout = configuration.requestTimeout
        http.limits.maxBodySize = Int64(configuration.maxResponseSize)
        client = HTTPClient(configuration: http)
        maxResponseSize = configuration.maxResponseSize
        retryWindow = configuration.requestTimeout
        logger = configuration.logger
    }

    /// The index in `endpoints` of the member that requests and new watches use first.
    var preferredIndex: Int {
        preferred.load(ordering: .relaxed)
    }

    /// Posts `body` to `path` and returns the decoded response, failing over
    /// as the type's documentation describes.
    func post(_ path: String, _ body: [UInt8], retry: RetryPolicy) async throws(StoreError) -> GatewayObject {
        let deadline = ContinuousClock.now + retryWindow
        var pause = Duration.milliseconds(50)
        while true {
            var failures: [EtcdAttemptFailure] = []
            if let response = try await tryEachMember(path, body, retry: retry, failures: &failures) {
                return response
            }
            let someMemberAnswered = failures.contains { $0.mayHaveReachedEtcd }
            guard retry == .repeatable, someMemberAnswered, ContinuousClock.now + pause < deadline, !Task.isCancelled else {
                let last = failures.last.map(\.error.message) ?? "none"
                throw StoreError(.unavailable, "every etcd member failed \(path) (\(endpoints.count) tried); last error: \(last)")
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(500))
        }
    }

    /// Tries the members once each, from the preferred one, and returns the
    /// first response. Returns nil when every member failed in a way that
    /// lets the request move on, and appends those failures to `failures`.
    private func tryEachMember(
        _ path: String,
        _ body: [UInt8],
        retry: RetryPolicy,
        failures: inout [EtcdAttemptFailure]
    ) async throws(StoreError) -> GatewayObject? {
        let first = preferredIndex
        for offset in 0..<endpoints.count {
            let index = (first + offset) % endpoints.count
            do {
                return try await attempt(path, body, at: endpoints[index])
            } catch {
                guard error.memberFailed, !error.mayHaveReachedEtcd || retry == .repeatable else {
                    throw error.error
                }
                memberFailed(index, error.error)
                failures.append(error)
            }
        }
        return nil
    }

    /// Moves the preferred member past `index`, unless another request already did.
    func memberFailed(_ index: Int, _ error: StoreError) {
        let next = (index + 1) % endpoints.count
        let (moved, _) = preferred.compareExchange(expected: index, desired: next, ordering: .relaxed)
        if moved && endpoints.count > 1 {
            logger.warning("etcd member failed; moving to the next member", metadata: [
                "etcd.endpoint": "\(endpoints[index])",
                "etcd.next_endpoint": "\(endpoints[next])",
                "error": "\(error)",
            ])
        }
    }

    func memberFailed(_ endpoint: EtcdEndpoint, _ error: StoreError) {
        if let index = endpoints.firstIndex(of: endpoint) {
            memberFailed(index, error)
        }
    }

    private func attempt(_ path: String, _ body: [UInt8], at endpoint: EtcdEndpoint) async throws(EtcdAttemptFailure) -> GatewayObject {
        let request = HTTPClientRequest(
            method: .post,
            url: endpoint.url + path,
            headers: ["Content-Type": "application/json"],
            body: OutgoingBody(bytes: body)
        )
        let status: HTTPStatus
        let bytes: [UInt8]
        do {
            let (response, collected) = try await client.execute(request, collectingUpTo: maxResponseSize)
            status = response.status
            bytes = collected
        } catch let error as HTTPClientError {
            throw .transport(error, endpoint: endpoint)
        } catch {
            // A body over the size limit, or a cancelled task.
            let failure = StoreError(.unavailable, "etcd member \(endpoint): \(error)")
            throw EtcdAttemptFailure(error: failure, mayHaveReachedEtcd: true, memberFailed: false)
        }
        guard status.code == 200 else {
            throw .gateway(status: status, body: bytes, endpoint: endpoint)
        }
        let object: GatewayObject
        do {
            object = try GatewayObject(parsing: bytes)
        } catch {
            throw EtcdAttemptFailure(error: error, mayHaveReachedEtcd: true, memberFailed: true)
        }
        // A streamed call such as a keep-alive reports its error inside a 200 response.
        if let error = object.object("error") {
            throw .streamError(error, endpoint: endpoint)
        }
        return object
    }

    /// Rejects new requests and closes idle connections.
    func shutdown() {
        client.shutdown()
    }
}
