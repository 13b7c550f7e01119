import StratusHTTP

/// Reads the JSON objects of a streamed request body one at a time, as they
/// arrive, for `/v3/watch` and `/v3/lease/keepalive`.
///
/// `@unchecked Sendable`: one task reads at a time. The handler reads the
/// first message, then hands the reader to the response's producer.
final class JSONMessageReader: @unchecked Sendable {
    private var iterator: IncomingBody.Iterator
    private var splitter = JSONMessageSplitter()
    private var bodyEnded = false
    private let maxMessageSize: Int

    init(_ body: IncomingBody, maxMessageSize: Int) {
        iterator = body.makeAsyncIterator()
        self.maxMessageSize = maxMessageSize
    }

    /// Returns the next message, or nil at the end of the body. Throws
    /// `invalidArgument` for a message that is not a JSON object or is
    /// larger than `maxMessageSize`, and `cancelled` when the body cannot be
    /// read, as when the client closed the connection.
    func next() async throws(GatewayError) -> RequestFields? {
        while true {
            if let value = splitter.nextValue() {
                return try RequestFields(body: Array(value))
            }
            if bodyEnded {
                return try splitter.finish().map { (value) throws(GatewayError) in try RequestFields(body: Array(value)) }
            }
            guard splitter.bufferedCount <= maxMessageSize else {
                throw GatewayError(.invalidArgument, "request message is larger than the limit of \(maxMessageSize) bytes; send smaller messages")
            }
            try await readChunk()
        }
    }

    private func readChunk() async throws(GatewayError) {
        do {
            if let chunk = try await iterator.next() {
                splitter.append(chunk)
            } else {
                bodyEnded = true
            }
        } catch {
            throw GatewayError(.cancelled, "the request body could not be read: \(error)")
        }
    }
}
