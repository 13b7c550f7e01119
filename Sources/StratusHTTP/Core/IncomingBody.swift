import Synchronization

/// A body arriving from the peer: a request body on a server, a response body
/// on a client. Iterate it to read chunks as they arrive, or collect it.
///
/// A streamed body applies backpressure: when the reader falls behind by more
/// than the stream's buffer limit, the connection stops reading the socket
/// until the reader catches up, so memory stays flat however large the body.
/// A body can be iterated once; a second iterator sees what the first left.
public struct IncomingBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    enum Storage: Sendable {
        case bytes([UInt8])
        case stream(BodyStream)
    }

    let storage: Storage

    public static let empty = IncomingBody(bytes: [])

    public init(bytes: [UInt8]) {
        storage = .bytes(bytes)
    }

    package init(stream: BodyStream) {
        storage = .stream(stream)
    }

    /// Reads the whole body, failing with 413 Content Too Large as soon as more
    /// than `maxSize` bytes arrive.
    public func collect(upTo maxSize: Int) async throws -> [UInt8] {
        var collected: [UInt8] = []
        for try await chunk in self {
            guard collected.count + chunk.count <= maxSize else {
                throw HTTPError(
                    .contentTooLarge,
                    message: "body larger than the limit of \(maxSize) bytes"
                )
            }
            collected.append(contentsOf: chunk)
        }
        return collected
    }

    public func makeAsyncIterator() -> Iterator {
        switch storage {
        case .bytes(let bytes):
            Iterator(pending: bytes.isEmpty ? nil : bytes, stream: nil)
        case .stream(let stream):
            Iterator(pending: nil, stream: stream)
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        var pending: [UInt8]?
        let stream: BodyStream?

        public mutating func next() async throws -> [UInt8]? {
            if let pending {
                self.pending = nil
                return pending
            }
            return try await stream?.next()
        }
    }
}
