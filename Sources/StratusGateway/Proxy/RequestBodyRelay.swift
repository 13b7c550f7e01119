import StratusHTTP
import Synchronization

/// Streams a client's request body to the upstream, counting its bytes
/// against the route's limit and recording whether reading has started,
/// which decides whether a failed attempt may be sent again.
///
/// The body can be sent once: a second producer run (a retry inside the
/// HTTP client after the first had read part of the body) fails instead of
/// sending a truncated body.
final class RequestBodyRelay: Sendable {
    private struct State {
        var started = false
        var exceeded = false
        var clientFailure: HTTPError?
    }

    private let body: IncomingBody
    /// Bytes beyond which the body fails with 413; nil for no limit.
    private let limit: Int64?
    private let state = Mutex(State())

    init(body: IncomingBody, limit: Int64?) {
        self.body = body
        self.limit = limit
    }

    /// Whether a producer began reading the client's body.
    var started: Bool { state.withLock { $0.started } }

    /// Whether the body grew past the limit while streaming.
    var exceededLimit: Bool { state.withLock { $0.exceeded } }

    /// The error of reading the client's body (a malformed chunk, a stall).
    /// It is the client's fault, so the response has its status.
    var clientFailure: HTTPError? { state.withLock { $0.clientFailure } }

    /// Returns the upstream request body: `length` bytes, or chunked when nil.
    func outgoingBody(length: Int?) -> OutgoingBody {
        OutgoingBody(length: length) { writer in
            try await self.pump(to: writer)
        }
    }

    private func pump(to writer: any BodyWriter) async throws {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else {
            throw HTTPError(.badGateway, message: "the request body was already sent once and cannot be sent again")
        }
        var total: Int64 = 0
        var iterator = body.makeAsyncIterator()
        while true {
            let chunk: [UInt8]?
            do {
                chunk = try await iterator.next()
            } catch {
                let failure = error as? HTTPError ?? HTTPError(.badRequest, message: "the request body failed: \(error)")
                state.withLock { $0.clientFailure = failure }
                throw failure
            }
            guard let chunk else { return }
            total += Int64(chunk.count)
            if let limit, total > limit {
                state.withLock { $0.exceeded = true }
                throw HTTPError(.contentTooLarge, message: "request body larger than the limit of \(limit) bytes")
            }
            try await writer.write(chunk)
        }
    }
}
