import StratusHTTP
import Synchronization

/// Releases a slot once, when the response is done: when a streamed body
/// has been written or failed, or when the server drops the response
/// without writing it (the client left), which releases the object.
final class PolicyPermit: Sendable {
    private let release: @Sendable () -> Void
    private let released = Atomic<Bool>(false)

    init(release: @escaping @Sendable () -> Void) {
        self.release = release
    }

    func end() {
        if !released.exchange(true, ordering: .relaxed) {
            release()
        }
    }

    deinit {
        end()
    }

    /// Returns `response` with the permit ended after its body: at once
    /// for a body of bytes, after the producer for a streamed body.
    func endAfter(_ response: Response) -> Response {
        guard case .stream(let length, let producer) = response.body.storage else {
            end()
            return response
        }
        var response = response
        response.body = OutgoingBody(length: length) { [self] writer in
            defer { end() }
            try await producer(writer)
        }
        return response
    }
}
