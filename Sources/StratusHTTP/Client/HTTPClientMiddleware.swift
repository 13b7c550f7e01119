/// Code that wraps every request of an `HTTPClient`: metrics, tracing, auth.
///
/// Middleware runs in the order given to the client, the first being the
/// outermost. `next` sends the request (with the pool's retry) and returns
/// when the response head arrives; the body streams after that.
public protocol HTTPClientMiddleware: Sendable {
    func execute(
        _ request: HTTPClientRequest,
        next: (HTTPClientRequest) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse
}

extension Array where Element == any HTTPClientMiddleware {
    /// Runs the request through the middleware from the first to the last, then `send`.
    func run(
        _ request: HTTPClientRequest,
        from index: Int = 0,
        send: (HTTPClientRequest) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        guard index < count else {
            return try await send(request)
        }
        return try await self[index].execute(request) { request in
            try await run(request, from: index + 1, send: send)
        }
    }
}
