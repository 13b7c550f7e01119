import StratusHTTP
import Testing

// MARK: Feeding the parser

/// What the parser produced for some input: its events, with adjacent body
/// events merged (how a body is split depends on how the input was split),
/// and the error that stopped it, if any.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var events: [HTTPRequestParser.Event] = []
    var error: HTTPParseError?

    mutating func record(_ event: HTTPRequestParser.Event) {
        if case .body(let bytes) = event, case .body(let previous)? = events.last {
            events[events.count - 1] = .body(previous + bytes)
        } else {
            events.append(event)
        }
    }

    var requestCount: Int {
        events.filter { if case .head = $0 { true } else { false } }.count
    }

    var description: String {
        let rendered = events.map { event -> String in
            switch event {
            case .head(let head, let framing): "head(\(head.method) \(head.target) \(head.version), \(framing))"
            case .body(let bytes): "body(\(bytes.count) bytes)"
            case .end: "end"
            }
        }
        return "\(rendered) error: \(error.map(String.init(describing:)) ?? "none")"
    }
}

/// Feeds `bytes` to a new parser in pieces of the given sizes (the last size
/// repeats), draining events after each piece.
func parse(_ bytes: [UInt8], pieceSizes: [Int], limits: HTTPLimits = .default) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome()
    var offset = 0
    var pieceIndex = 0
    repeat {
        let size = max(1, pieceSizes[min(pieceIndex, pieceSizes.count - 1)])
        let end = min(bytes.count, offset + size)
        parser.append(Array(bytes[offset..<end]))
        offset = end
        pieceIndex += 1
        // Each event consumes input or ends a message, so this many rounds
        // are enough unless the parser loops without progress.
        for _ in 0...(2 * bytes.count + 4) {
            do {
                guard let event = try parser.next() else { break }
                outcome.record(event)
            } catch {
                outcome.error = error
                return outcome
            }
        }
    } while offset < bytes.count
    return outcome
}

func parseAtOnce(_ bytes: [UInt8], limits: HTTPLimits = .default) -> ParseOutcome {
    parse(bytes, pieceSizes: [max(1, bytes.count)], limits: limits)
}

func parseByteByByte(_ bytes: [UInt8], limits: HTTPLimits = .default) -> ParseOutcome {
    parse(bytes, pieceSizes: [1], limits: limits)
}

/// A small deterministic generator (SplitMix64), so random splits repeat.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

// MARK: Corpus

/// One request stream and what the parser must make of it.
struct ParserCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// Requests the parser must return before stopping.
    let requests: Int
    /// The status of the error that must stop the parser, or nil for none.
    let status: Int?
    var limits = HTTPLimits()

    init(_ name: String, _ text: String, requests: Int, status: Int? = nil, limits: HTTPLimits = HTTPLimits()) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.requests = requests
        self.status = status
        self.limits = limits
    }

    init(_ name: String, bytes: [UInt8], requests: Int, status: Int? = nil) {
        self.name = name
        self.bytes = bytes
        self.requests = requests
        self.status = status
    }

    var testDescription: String { name }
}

private func smallLimits(_ change: (inout HTTPLimits) -> Void) -> HTTPLimits {
    var limits = HTTPLimits()
    change(&limits)
    return limits
}

let validParserCases: [ParserCase] = [
    ParserCase("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", requests: 1),
    ParserCase("header section at its limit", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "x", count: 168) + "\r\n\r\n", requests: 1, limits: smallLimits { $0.maxHeaderSize = 200 }),
    ParserCase("GET with query and fields", "GET /v1/users?offset=10&limit=5 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nUser-Agent: test/1.0\r\nX-Empty:\r\n\r\n", requests: 1),
    ParserCase("Content-Length body", "POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world", requests: 1),
    ParserCase("Content-Length zero", "POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", requests: 1),
    ParserCase("identical Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", requests: 1),
    ParserCase("identical Content-Length fields", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", requests: 1),
    ParserCase("chunked body", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", requests: 1),
    ParserCase("chunked with extensions", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\nA ; quoted=\"a;b\"\r\n0123456789\r\n0;last\r\n\r\n", requests: 1),
    ParserCase("chunked with trailers", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nDigest: sha-256=abc\r\nExpires: never\r\n\r\n", requests: 1),
    ParserCase("chunked uppercase hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n", requests: 1),
    ParserCase("leading CRLF before request", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", requests: 1),
    ParserCase("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", requests: 1),
    ParserCase("obs-text and tab in value", "GET / HTTP/1.1\r\nHost: a\r\nX-Text: caf\u{E9}\tau lait\r\n\r\n", requests: 1),
    ParserCase("pipelined three requests", "GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc\r\nPOST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n", requests: 3),
    ParserCase("pipelined then partial", "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHo", requests: 1),
    ParserCase("any method token", "PURGE /cache HTTP/1.1\r\nHost: a\r\n\r\n", requests: 1),
]

let invalidParserCases: [ParserCase] = [
    ParserCase("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", requests: 0, status: 400),
    ParserCase("two Content-Length fields differ", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", requests: 0, status: 400),
    ParserCase("Content-Length list differs", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!", requests: 0, status: 400),
    ParserCase("Content-Length not a number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", requests: 0, status: 400),
    ParserCase("chunk size not hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", requests: 1, status: 400),
    ParserCase("chunk size empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n", requests: 1, status: 400),
    ParserCase("chunk size overflows", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n", requests: 1, status: 400),
    ParserCase("chunk data without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", requests: 1, status: 400),
    ParserCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n second\r\n\r\n", requests: 0, status: 400),
    ParserCase("bare LF line ending", "GET / HTTP/1.1\nHost: a\r\n\r\n", requests: 0, status: 400),
    ParserCase("bare LF in fields", "GET / HTTP/1.1\r\nHost: a\n\n", requests: 0, status: 400),
    ParserCase("bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n", requests: 0, status: 400),
    ParserCase("NUL in request line", bytes: Array("GET /a".utf8) + [0] + Array("b HTTP/1.1\r\nHost: a\r\n\r\n".utf8), requests: 0, status: 400),
    ParserCase("NUL in field name", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-".utf8) + [0] + Array("Name: v\r\n\r\n".utf8), requests: 0, status: 400),
    ParserCase("NUL in field value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: v".utf8) + [0] + Array("v\r\n\r\n".utf8), requests: 0, status: 400),
    ParserCase("control in field value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: v".utf8) + [0x01] + Array("v\r\n\r\n".utf8), requests: 0, status: 400),
    ParserCase("DEL in field value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: v".utf8) + [0x7F] + Array("v\r\n\r\n".utf8), requests: 0, status: 400),
    ParserCase("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", requests: 0, status: 400),
    ParserCase("missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", requests: 0, status: 400),
    ParserCase("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", requests: 0, status: 400),
    ParserCase("header section too large", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "x", count: 300) + "\r\n\r\n", requests: 0, status: 431, limits: smallLimits { $0.maxHeaderSize = 200 }),
    // 32 bytes before the x's: the 169th x is the 201st byte of the section's text.
    ParserCase("header section one byte over", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "x", count: 169) + "\r\n\r\n", requests: 0, status: 431, limits: smallLimits { $0.maxHeaderSize = 200 }),
    ParserCase("too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + (1...6).map { "X-\($0): v\r\n" }.joined() + "\r\n", requests: 0, status: 431, limits: smallLimits { $0.maxHeaderCount = 5 }),
    ParserCase("target too long", "GET /" + String(repeating: "a", count: 120) + " HTTP/1.1\r\nHost: a\r\n\r\n", requests: 0, status: 414, limits: smallLimits { $0.maxTargetLength = 100 }),
    ParserCase("request line far too long", "GET /" + String(repeating: "a", count: 400) + " HTTP/1.1\r\nHost: a\r\n\r\n", requests: 0, status: 414, limits: smallLimits { $0.maxTargetLength = 100 }),
    ParserCase("Content-Length over limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", requests: 0, status: 413, limits: smallLimits { $0.maxBodySize = 100 }),
    ParserCase("chunked body over limit", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n" + String(repeating: "a", count: 60) + "\r\n3c\r\n" + String(repeating: "b", count: 60) + "\r\n0\r\n\r\n", requests: 1, status: 413, limits: smallLimits { $0.maxBodySize = 100 }),
    ParserCase("gzip transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", requests: 0, status: 501),
    ParserCase("gzip then chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", requests: 0, status: 501),
    ParserCase("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", requests: 0, status: 400),
    ParserCase("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", requests: 0, status: 400),
    ParserCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", requests: 0, status: 505),
    ParserCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", requests: 0, status: 505),
    ParserCase("malformed version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", requests: 0, status: 400),
    ParserCase("lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", requests: 0, status: 400),
    ParserCase("two spaces in request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", requests: 0, status: 400),
    ParserCase("error after pipelined request", "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost a\r\n\r\n", requests: 1, status: 400),
]

// MARK: Tests

@Suite("HTTPRequestParser")
struct ParserTests {
    @Test("byte by byte matches at once", arguments: validParserCases + invalidParserCases)
    func byteByByteMatchesAtOnce(_ parserCase: ParserCase) {
        let atOnce = parseAtOnce(parserCase.bytes, limits: parserCase.limits)
        let byteByByte = parseByteByByte(parserCase.bytes, limits: parserCase.limits)
        #expect(byteByByte == atOnce)
    }

    @Test("random splits match at once", arguments: validParserCases + invalidParserCases)
    func randomSplitsMatchAtOnce(_ parserCase: ParserCase) {
        let atOnce = parseAtOnce(parserCase.bytes, limits: parserCase.limits)
        var generator = SplitMix64(state: 42)
        for _ in 0..<20 {
            let sizes = (0..<parserCase.bytes.count).map { _ in Int.random(in: 1...17, using: &generator) }
            let split = parse(parserCase.bytes, pieceSizes: sizes, limits: parserCase.limits)
            #expect(split == atOnce)
        }
    }

    @Test("valid case parses fully", arguments: validParserCases)
    func validCaseParsesFully(_ parserCase: ParserCase) {
        let outcome = parseAtOnce(parserCase.bytes, limits: parserCase.limits)
        #expect(outcome.error == nil)
        #expect(outcome.requestCount == parserCase.requests)
    }

    @Test("invalid case has its status", arguments: invalidParserCases)
    func invalidCaseHasItsStatus(_ parserCase: ParserCase) {
        let outcome = parseAtOnce(parserCase.bytes, limits: parserCase.limits)
        #expect(outcome.error?.status.code == parserCase.status)
        #expect(outcome.requestCount == parserCase.requests)
    }

    @Test("chunked body decodes")
    func chunkedBodyDecodes() throws {
        let outcome = parseAtOnce(Array("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nChecksum: 1\r\n\r\n".utf8))
        #expect(outcome.error == nil)
        try #require(outcome.events.count == 3)
        #expect(outcome.events[0] == .head(
            HTTPRequestHead(method: .post, target: "/up", headers: ["Host": "a", "Transfer-Encoding": "chunked"]),
            .chunked
        ))
        #expect(outcome.events[1] == .body(Array("hello world".utf8)))
        #expect(outcome.events[2] == .end)
    }

    @Test("pipelined requests in order")
    func pipelinedRequestsInOrder() {
        let outcome = parseAtOnce(validParserCases.first { $0.name == "pipelined three requests" }!.bytes)
        let targets = outcome.events.compactMap { event -> String? in
            if case .head(let head, _) = event { head.target } else { nil }
        }
        #expect(targets == ["/one", "/two", "/three"])
        #expect(outcome.events.filter { $0 == .end }.count == 3)
    }

    @Test("Content-Length body framing")
    func contentLengthBodyFraming() {
        let outcome = parseAtOnce(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET".utf8))
        #expect(outcome.events.count == 3)
        #expect(outcome.events.first.map { if case .head(_, .contentLength(5)) = $0 { true } else { false } } == true)
        #expect(outcome.events.dropFirst().first == .body(Array("hello".utf8)))
        #expect(outcome.error == nil)
    }

    @Test("field values trimmed")
    func fieldValuesTrimmed() {
        let outcome = parseAtOnce(Array("GET / HTTP/1.1\r\nHost:   a.example \t\r\nX-A:b\r\n\r\n".utf8))
        guard case .head(let head, _)? = outcome.events.first else {
            Issue.record("no head: \(outcome)")
            return
        }
        #expect(head.headers["Host"] == "a.example")
        #expect(head.headers["x-a"] == "b")
    }

    @Test("error reason names the field")
    func errorReasonNamesTheField() {
        let outcome = parseAtOnce(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n".utf8))
        #expect(outcome.error?.reason.contains("Content-Length") == true)
    }

    @Test("parser idle after message")
    func parserIdleAfterMessage() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(!parser.isIdle)
        _ = try parser.next()
        #expect(try parser.next() == .end)
        #expect(parser.isIdle)
        #expect(try parser.next() == nil)
    }
}
