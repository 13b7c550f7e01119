/// Writes a streamed body chunk by chunk.
///
/// `write` suspends while the connection's unsent output is above its limit,
/// so a producer faster than the peer waits instead of filling memory.
public protocol BodyWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}

extension BodyWriter {
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// A body sent to the peer: a response body on a server, a request body on a
/// client. Either bytes known up front or a producer that streams them.
public struct OutgoingBody: Sendable {
    package enum Storage: Sendable {
        case bytes([UInt8])
        case stream(length: Int?, producer: @Sendable (any BodyWriter) async throws -> Void)
    }

    package let storage: Storage

    public static let empty = OutgoingBody(bytes: [])

    public init(bytes: [UInt8]) {
        storage = .bytes(bytes)
    }

    public init(string: String) {
        storage = .bytes(Array(string.utf8))
    }

    /// A streamed body. With a `length`, the body is sent with `Content-Length`
    /// and the producer must write exactly that many bytes; without one, it is
    /// sent chunked (or, to an HTTP/1.0 peer, delimited by closing the connection).
    public init(length: Int? = nil, producer: @escaping @Sendable (any BodyWriter) async throws -> Void) {
        storage = .stream(length: length, producer: producer)
    }

    /// The number of bytes, when known before sending.
    public var knownLength: Int? {
        switch storage {
        case .bytes(let bytes): bytes.count
        case .stream(let length, _): length
        }
    }
}
