import StratusHTTP

/// The failure of one request to one etcd member, with the two facts that
/// failover needs: whether another member may do better, and whether etcd
/// may already have applied the request.
struct EtcdAttemptFailure: Error {
    var error: StoreError
    /// Whether the request may have reached etcd, so that a write may have
    /// applied. False only when no connection was opened.
    var mayHaveReachedEtcd: Bool
    /// Whether the member itself failed (unreachable, closed the connection,
    /// did not respond in time, or reported itself unavailable), so another
    /// member may succeed. False for errors that every member would return alike.
    var memberFailed: Bool

    /// Classifies an error of the HTTP client.
    static func transport(_ error: HTTPClientError, endpoint: EtcdEndpoint) -> EtcdAttemptFailure {
        let message = "etcd member \(endpoint): \(error.message)"
        switch error.code {
        case .connectFailed, .connectTimeout:
            return EtcdAttemptFailure(error: StoreError(.unavailable, message), mayHaveReachedEtcd: false, memberFailed: true)
        case .timedOut:
            return EtcdAttemptFailure(error: StoreError(.timedOut, message), mayHaveReachedEtcd: true, memberFailed: true)
        case .connectionClosed, .invalidResponse:
            return EtcdAttemptFailure(error: StoreError(.unavailable, message), mayHaveReachedEtcd: true, memberFailed: true)
        case .poolExhausted:
            return EtcdAttemptFailure(error: StoreError(.unavailable, message), mayHaveReachedEtcd: false, memberFailed: false)
        case .shutdown:
            return EtcdAttemptFailure(error: StoreError(.closed, "the etcd store was closed"), mayHaveReachedEtcd: false, memberFailed: false)
        case .invalidRequest:
            return EtcdAttemptFailure(error: StoreError(.invalidArgument, message), mayHaveReachedEtcd: false, memberFailed: false)
        }
    }

    /// Classifies a response other than 200 OK: the gateway sends a gRPC
    /// status as `{"code": 5, "message": "..."}`.
    static func gateway(status: HTTPStatus, body: [UInt8], endpoint: EtcdEndpoint) -> EtcdAttemptFailure {
        guard let object = try? GatewayObject(parsing: body), let message = object.string("message") else {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            let error = StoreError(.unavailable, "etcd member \(endpoint) returned HTTP \(status.code) without a gateway error: \(text)")
            return EtcdAttemptFailure(error: error, mayHaveReachedEtcd: true, memberFailed: true)
        }
        let code = (try? object.int64("code")) ?? 2
        return grpcStatus(code: code, message: message, endpoint: endpoint)
    }

    /// Classifies an error inside a streamed response, which the gateway
    /// sends as `{"error": {"grpc_code": 5, "message": "..."}}`.
    static func streamError(_ error: GatewayObject, endpoint: EtcdEndpoint) -> EtcdAttemptFailure {
        let code = (try? error.int64("grpc_code")) ?? 2
        return grpcStatus(code: code, message: error.string("message") ?? "no message", endpoint: endpoint)
    }

    /// Maps a gRPC status from etcd. etcd's messages are stable strings, and
    /// several codes carry more than one meaning, so the message decides first.
    static func grpcStatus(code: Int64, message: String, endpoint: EtcdEndpoint) -> EtcdAttemptFailure {
        let text = "etcd member \(endpoint): \(message)"
        if let known = knownError(message, text: text) {
            return EtcdAttemptFailure(error: known, mayHaveReachedEtcd: true, memberFailed: false)
        }
        switch code {
        case 14 where message.contains(GatewayVocabulary.requestTimedOutMessage):
            // The proposal may still commit, so the write may have applied.
            return EtcdAttemptFailure(error: StoreError(.timedOut, text), mayHaveReachedEtcd: true, memberFailed: true)
        case 14, 4:
            // Unavailable (no leader, leader changed, stopping) or deadline exceeded.
            let storeCode: StoreError.Code = code == 4 ? .timedOut : .unavailable
            return EtcdAttemptFailure(error: StoreError(storeCode, text), mayHaveReachedEtcd: true, memberFailed: true)
        case 3, 9, 11:
            // Invalid argument, failed precondition (a lease ID in use), out of range.
            return EtcdAttemptFailure(error: StoreError(.invalidArgument, text), mayHaveReachedEtcd: true, memberFailed: false)
        default:
            return EtcdAttemptFailure(error: StoreError(.unavailable, text), mayHaveReachedEtcd: true, memberFailed: false)
        }
    }

    private static func knownError(_ message: String, text: String) -> StoreError? {
        if message.contains(GatewayVocabulary.compactedMessage) {
            return StoreError(.compacted, text)
        }
        if message.contains(GatewayVocabulary.futureRevisionMessage) {
            return StoreError(.futureRevision, text)
        }
        if message.contains(GatewayVocabulary.leaseNotFoundMessage) {
            return StoreError(.leaseNotFound, text)
        }
        return nil
    }
}
