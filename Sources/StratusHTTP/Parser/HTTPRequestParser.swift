/// An incremental, strict HTTP/1.1 request parser (RFC 9112).
///
/// Feed it bytes with `append`, then call `next()` until it returns nil, which
/// means it needs more bytes. Requests follow one another on the connection
/// (pipelining), so after `.end` the next `next()` parses the following request.
/// Any error is final for the connection: the server responds with the error's
/// status and closes, since the framing of what follows is unknown.
///
/// A value type with no I/O, so it can be tested and fuzzed without sockets.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable, Hashable {
        case head(HTTPRequestHead, BodyFraming)
        case body([UInt8])
        case end
    }

    private enum Phase {
        case head
        case body
    }

    public let limits: HTTPLimits
    private var buffer = ParseBuffer()
    private var phase = Phase.head
    private var scanner: HeadScanner
    private var body = BodyDecoder(framing: .none, limits: .default)

    public init(limits: HTTPLimits = .default) {
        self.limits = limits
        scanner = HeadScanner(
            maxFirstLine: limits.maxTargetLength + 64,
            firstLineStatus: .uriTooLong,
            maxHeadSize: limits.maxHeaderSize
        )
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Bytes received and not yet returned as events.
    public var bufferedCount: Int { buffer.readableCount }

    /// Whether the parser is between requests with nothing buffered, so closing
    /// the connection now loses nothing.
    public var isIdle: Bool { phase == .head && buffer.isEmpty }

    /// Removes and returns the bytes buffered after the last event, for a
    /// connection that leaves HTTP after a `101 Switching Protocols`.
    public mutating func takeBufferedBytes() -> [UInt8] {
        let bytes = Array(buffer.storage[buffer.readIndex...])
        buffer.consume(bytes.count)
        return bytes
    }

    /// Whether the parser is inside a request head or body.
    public var isInsideMessage: Bool { phase == .body || !buffer.isEmpty }

    /// Returns the next event, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> Event? {
        switch phase {
        case .head:
            return try nextHead()
        case .body:
            return try nextBody()
        }
    }

    private mutating func nextHead() throws(HTTPParseError) -> Event? {
        skipLeadingEmptyLines()
        var scanner = self.scanner
        let limits = self.limits
        let parsed = try buffer.withReadableBytes { bytes throws(HTTPParseError) -> (HTTPRequestHead, BodyFraming, Int)? in
            guard let length = try scanner.scan(bytes) else { return nil }
            let head = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
            let request = try RequestHeadParser.parse(head, lineEnds: scanner.lineEnds, limits: limits)
            let framing = try RequestHeadParser.framing(of: request, limits: limits)
            return (request, framing, length)
        }
        guard let (request, framing, length) = parsed else {
            self.scanner = scanner
            return nil
        }
        scanner.reset()
        self.scanner = scanner
        buffer.consume(length)
        body = BodyDecoder(framing: framing, limits: limits)
        phase = .body
        return .head(request, framing)
    }

    /// RFC 9112, section 2.2: a server should ignore empty lines received
    /// before the request line (some clients send CRLF after a POST body).
    private mutating func skipLeadingEmptyLines() {
        while buffer.readableCount >= 2 {
            let isEmptyLine = buffer.storage[buffer.readIndex] == 0x0D && buffer.storage[buffer.readIndex + 1] == 0x0A
            guard isEmptyLine else { return }
            buffer.consume(2)
        }
    }

    private mutating func nextBody() throws(HTTPParseError) -> Event? {
        switch try buffer.nextBodyStep(&body) {
        case .data(let chunk):
            return .body(chunk)
        case .end:
            phase = .head
            return .end
        case .needMore:
            return nil
        }
    }
}
