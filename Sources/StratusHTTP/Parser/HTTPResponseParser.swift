/// An incremental HTTP/1.1 response parser for the client side (RFC 9112).
///
/// Call `expectResponse(to:)` before each response, because the request method
/// decides whether a body follows (a response to HEAD has none). Interim 1xx
/// responses are skipped, except 101, which is reported as a head with no body.
public struct HTTPResponseParser: Sendable {
    public enum Event: Sendable, Hashable {
        case head(HTTPResponseHead, BodyFraming)
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
    private var requestMethod = HTTPMethod.get

    public init(limits: HTTPLimits = .default) {
        self.limits = limits
        scanner = HeadScanner(maxFirstLine: limits.maxHeaderSize, firstLineStatus: .badRequest, maxHeadSize: limits.maxHeaderSize)
    }

    public mutating func expectResponse(to method: HTTPMethod) {
        requestMethod = method
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Whether the parser has seen no byte of the current response.
    public var isIdle: Bool { phase == .head && buffer.isEmpty }

    /// Removes and returns the bytes buffered after the last event, for a
    /// connection that leaves HTTP after a `101 Switching Protocols`.
    public mutating func takeBufferedBytes() -> [UInt8] {
        let bytes = Array(buffer.storage[buffer.readIndex...])
        buffer.consume(bytes.count)
        return bytes
    }

    /// Whether a body delimited by the end of the connection is being read,
    /// so the end of input completes it instead of failing it.
    public var readsUntilClose: Bool {
        phase == .body && body.state == .untilClose
    }

    /// Returns the next event, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> Event? {
        switch phase {
        case .head:
            return try nextHead()
        case .body:
            return try nextBody()
        }
    }

    /// Ends a body that is delimited by the end of the connection.
    public mutating func finishAtEndOfInput() -> Event? {
        guard readsUntilClose else { return nil }
        phase = .head
        body = BodyDecoder(framing: .none, limits: limits)
        return .end
    }

    private mutating func nextHead() throws(HTTPParseError) -> Event? {
        while true {
            var scanner = self.scanner
            let limits = self.limits
            let method = requestMethod
            let parsed = try buffer.withReadableBytes { bytes throws(HTTPParseError) -> (HTTPResponseHead, BodyFraming, Int)? in
                guard let length = try scanner.scan(bytes) else { return nil }
                let head = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
                let response = try Self.parseHead(head, lineEnds: scanner.lineEnds, limits: limits)
                return (response, try Self.framing(of: response, requestMethod: method), length)
            }
            guard let (response, framing, length) = parsed else {
                self.scanner = scanner
                return nil
            }
            scanner.reset()
            self.scanner = scanner
            buffer.consume(length)
            if (100..<200).contains(response.status.code) && response.status.code != 101 {
                continue  // interim response: the final one follows
            }
            body = BodyDecoder(framing: framing, limits: limits)
            phase = .body
            return .head(response, framing)
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

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112, section 4).
    static func parseHead(_ head: UnsafeRawBufferPointer, lineEnds: [Int], limits: HTTPLimits) throws(HTTPParseError) -> HTTPResponseHead {
        let line = UnsafeRawBufferPointer(rebasing: head[0..<lineEnds[0]])
        guard line.count >= 12, line[8] == 0x20, line.count == 12 || line[12] == 0x20 else {
            throw .badRequest("malformed status line \(describeBytes(line))")
        }
        let version = try RequestHeadParser.parseVersion(UnsafeRawBufferPointer(rebasing: line[0..<8]))
        var code = 0
        for byte in line[9..<12] {
            guard byte >= 0x30 && byte <= 0x39 else {
                throw .badRequest("malformed status code in \(describeBytes(line))")
            }
            code = code * 10 + Int(byte - 0x30)
        }
        guard code >= 100 else {
            throw .badRequest("status code \(code) is below 100")
        }
        let reason = line.count > 13 ? String(decoding: UnsafeRawBufferPointer(rebasing: line[13...]), as: UTF8.self) : ""
        let headers = try FieldLineParser.parseFields(head, lineEnds: lineEnds, firstFieldLine: 1, maxCount: limits.maxHeaderCount)
        return HTTPResponseHead(status: HTTPStatus(code: code, reasonPhrase: reason), version: version, headers: headers)
    }

    /// Decides how the response body is framed (RFC 9112, section 6.3).
    static func framing(of response: HTTPResponseHead, requestMethod: HTTPMethod) throws(HTTPParseError) -> BodyFraming {
        if requestMethod == .head || response.status.forbidsContent {
            return .none
        }
        let transferEncodings = response.headers.values(for: "Transfer-Encoding")
        if !transferEncodings.isEmpty {
            // A final coding other than chunked: the body runs to the end of the connection.
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIISpaces() }
            return codings.last?.equalsIgnoringASCIICase("chunked") == true ? .chunked : .untilClose
        }
        let lengths = response.headers.values(for: "Content-Length")
        guard !lengths.isEmpty else {
            return .untilClose
        }
        return .contentLength(try RequestHeadParser.contentLength(lengths))
    }
}
