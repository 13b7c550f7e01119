@testable import StratusEvents
import Testing

/// The NATS protocol parser, fed whole and byte by byte, and the JetStream
/// metadata and names the backend derives.
@Suite struct NATSParserTests {
    private let stream = Array((
        "INFO {\"server_id\":\"x\",\"headers\":true}\r\n" +
        "PING\r\n+OK\r\n" +
        "MSG _INBOX.a.t1 1  5\r\nhello\r\n" +
        "MSG orders 7 reply.to 0\r\n\r\n" +
        "HMSG stratus.events.orders.u 9 $JS.ACK.EVENTS_orders.billing_u.2.14.3.1700000000123456789.0 29 32\r\n" +
        "NATS/1.0\r\nStratus-Key: k1\r\n\r\nabc\r\n" +
        "HMSG _PULL.a.4 4 32 32\r\nNATS/1.0 408 Request Timeout\r\n\r\n\r\n" +
        "-ERR 'Authorization Violation'\r\nPONG\r\n"
    ).utf8)

    private func parseWhole() throws -> [NATSServerOperation] {
        var parser = NATSParser()
        return try stream.withUnsafeBytes { try parser.feed($0) }
    }

    private func parseByteByByte() throws -> [NATSServerOperation] {
        var parser = NATSParser()
        var operations: [NATSServerOperation] = []
        for byte in stream {
            operations += try [byte].withUnsafeBytes { try parser.feed($0) }
        }
        return operations
    }

    private func summary(_ operations: [NATSServerOperation]) -> [String] {
        operations.map { operation in
            switch operation {
            case .info(let json): "INFO \(json)"
            case .ping: "PING"
            case .pong: "PONG"
            case .ok: "+OK"
            case .error(let text): "-ERR \(text)"
            case .message(let message):
                "MSG \(message.subject) \(message.sid) \(message.replyTo ?? "-") \(message.status.map(String.init) ?? "-") \(message.headers) \(String(decoding: message.payload, as: UTF8.self))"
            }
        }
    }

    @Test func wholeAndByteByByteAgree() throws {
        let whole = summary(try parseWhole())
        #expect(whole == summary(try parseByteByByte()))
        #expect(whole == [
            #"INFO {"server_id":"x","headers":true}"#,
            "PING",
            "+OK",
            "MSG _INBOX.a.t1 1 - - [:] hello",
            "MSG orders 7 reply.to - [:] ",
            #"MSG stratus.events.orders.u 9 $JS.ACK.EVENTS_orders.billing_u.2.14.3.1700000000123456789.0 - ["Stratus-Key": "k1"] abc"#,
            "MSG _PULL.a.4 4 - 408 [:] ",
            "-ERR Authorization Violation",
            "PONG",
        ])
    }

    @Test(arguments: [
        "BOGUS\r\n",
        "MSG a\r\n",
        "MSG a 1 x\r\n",
        "HMSG a 1 20 10\r\n",
        "HMSG a 1 3 3\r\nabc\r\n",
    ])
    func malformedInputIsRejected(text: String) {
        var parser = NATSParser()
        #expect(throws: NATSParser.ParseError.self) {
            _ = try Array(text.utf8).withUnsafeBytes { try parser.feed($0) }
        }
    }

    @Test func overlongControlLineIsRejected() {
        var parser = NATSParser()
        let line = [UInt8](repeating: UInt8(ascii: "A"), count: NATSParser.maxControlLine + 1)
        #expect(throws: NATSParser.ParseError.self) {
            _ = try line.withUnsafeBytes { try parser.feed($0) }
        }
    }

    @Test func ackSubjectCarriesDeliveryMetadata() throws {
        let v1 = try #require(JetStreamAckSubject("$JS.ACK.EVENTS_orders.billing_u.2.14.3.1700000000123456789.0"))
        #expect(v1.stream == "EVENTS_orders")
        #expect(v1.consumer == "billing_u")
        #expect(v1.deliveryCount == 2)
        #expect(v1.streamSequence == 14)
        #expect(v1.timestampNanoseconds == 1_700_000_000_123_456_789)
        let v2 = try #require(JetStreamAckSubject("$JS.ACK.hub.ACCHASH.EVENTS_orders.billing_k1.1.7.7.1700000000000000000.3.rnd"))
        #expect(v2.consumer == "billing_k1")
        #expect(v2.streamSequence == 7)
        #expect(JetStreamAckSubject("$JS.ACK.too.short") == nil)
        #expect(JetStreamAckSubject("_INBOX.a.b.c.d.e.f.g.h") == nil)
    }

    @Test func keysMapToStablePartitions() {
        let names = JetStreamNames(topic: "billing.invoices", partitions: 8)
        #expect(names.stream == "EVENTS_billing_invoices")
        #expect(names.subjects.count == 9)
        #expect(names.subject(forKey: nil) == "stratus.events.billing.invoices.u")
        // FNV-1a of "customer-42" is fixed, so every client and version agrees.
        #expect(JetStreamNames.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(names.subject(forKey: "customer-42") == names.subject(forKey: "customer-42"))
        let used = Set((0..<200).map { names.subject(forKey: "key-\($0)") })
        #expect(used.count == 8)
    }

    @Test func headersEncodeSorted() {
        let block = NATSHeaders.encode(["b": "2", "a": "1"]).map { String(decoding: $0, as: UTF8.self) }
        #expect(block == "NATS/1.0\r\na: 1\r\nb: 2\r\n\r\n")
        #expect(NATSHeaders.encode([:]) == nil)
        let frame = String(decoding: NATSFrame.publish("s", replyTo: "r", headers: ["a": "1"], payload: Array("xy".utf8)), as: UTF8.self)
        #expect(frame == "HPUB s r 18 20\r\nNATS/1.0\r\na: 1\r\n\r\nxy\r\n")
    }

    @Test(arguments: ["nats://127.0.0.1", "nats://127.0.0.1:4333", "nats://[::1]:4222", "nats://localhost:1"])
    func endpointsParse(url: String) throws {
        let endpoint = try NATSEndpoint(url: url)
        #expect(endpoint.port > 0)
    }

    @Test(arguments: ["http://127.0.0.1:4222", "nats://", "nats://127.0.0.1:0", "nats://user:pw@127.0.0.1:4222", "nats://127.0.0.1:x"])
    func badEndpointsAreRejected(url: String) {
        #expect(throws: EventBusError.self) { try NATSEndpoint(url: url) }
    }
}
