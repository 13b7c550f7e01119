import StratusHTTP

/// One `/v3/watch` request to one member. The response body is a stream of
/// JSON objects, one per line, each `{"result": WatchResponse}` or
/// `{"error": status}`, that lasts until the connection ends or `closer`
/// closes it.
struct EtcdWatchConnection {
    let endpoint: EtcdEndpoint
    let closer: EtcdConnectionCloser
    private let body: BodyReader
    private var lines = JSONLineBuffer()

    private init(endpoint: EtcdEndpoint, closer: EtcdConnectionCloser, body: IncomingBody) {
        self.endpoint = endpoint
        self.closer = closer
        self.body = BodyReader(iterator: body.makeAsyncIterator())
    }

    /// Sends `message` (a `create_request`) and returns once the response
    /// head arrived. `closer` may close the connection from then on, and
    /// also during this call, which then fails.
    static func open(
        _ message: [String: Any],
        at endpoint: EtcdEndpoint,
        client: HTTPClient,
        timeout: Duration,
        closer: EtcdConnectionCloser
    ) async throws(EtcdAttemptFailure) -> EtcdWatchConnection {
        let bytes = GatewayJSON.encode(message)
        let request = HTTPClientRequest(
            method: .post,
            url: endpoint.url + "/v3/watch",
            headers: ["Content-Type": "application/json"],
            body: OutgoingBody(length: bytes.count, producer: closer.body(sending: bytes))
        )
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            closer.close()
            throw failure(error, endpoint: endpoint)
        }
        guard response.status.code == 200 else {
            let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
            closer.close()
            throw .gateway(status: response.status, body: body, endpoint: endpoint)
        }
        return EtcdWatchConnection(endpoint: endpoint, closer: closer, body: response.body)
    }

    /// Returns the next message, or nil when the member ended the response.
    nonisolated(nonsending) mutating func nextMessage() async throws(EtcdAttemptFailure) -> GatewayObject? {
        while true {
            if let line = lines.nextLine() {
                do {
                    return try GatewayObject(parsing: line)
                } catch {
                    throw EtcdAttemptFailure(error: error, mayHaveReachedEtcd: true, memberFailed: true)
                }
            }
            let chunk: [UInt8]?
            do {
                chunk = try await body.next()
            } catch {
                throw Self.failure(error, endpoint: endpoint)
            }
            guard let chunk else { return nil }
            lines.append(chunk)
        }
    }

    private static func failure(_ error: any Error, endpoint: EtcdEndpoint) -> EtcdAttemptFailure {
        if let error = error as? HTTPClientError {
            return .transport(error, endpoint: endpoint)
        }
        let storeError = StoreError(.unavailable, "watch connection to etcd member \(endpoint) failed: \(error)")
        return EtcdAttemptFailure(error: storeError, mayHaveReachedEtcd: true, memberFailed: true)
    }
}

/// The response body's iterator, in a class so that the watch session actor
/// can await it.
///
/// `@unchecked Sendable`: only `EtcdWatchSession.next()` reads it, and a
/// watch stream's single consumer calls that serially.
private final class BodyReader: @unchecked Sendable {
    private var iterator: IncomingBody.Iterator

    init(iterator: IncomingBody.Iterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        try await iterator.next()
    }
}
