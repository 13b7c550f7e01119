import StratusHTTP
@testable import StratusTelemetry
import Testing

@Suite struct TracingAttributesTests {
    @Test func keepsInsertionOrder() {
        var attributes = SpanAttributes()
        attributes["b"] = 1
        attributes["a"] = "x"
        attributes["c"] = true
        var keys: [String] = []
        attributes.forEach { key, _ in keys.append(key) }
        #expect(keys == ["b", "a", "c"])
    }

    @Test func replacesAndRemoves() {
        var attributes: SpanAttributes = ["a": .int64(1), "b": .int64(2)]
        attributes["a"] = 3
        attributes["b"] = nil
        #expect(attributes.count == 1)
        #expect(attributes.attribute(forKey: "a") == .int64(3))
        #expect(attributes.attribute(forKey: "b") == nil)
    }

    @Test func equalityIgnoresOrder() {
        let forward: SpanAttributes = ["a": .int64(1), "b": .string("x")]
        let backward: SpanAttributes = ["b": .string("x"), "a": .int64(1)]
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(forward != ["a": .int64(1), "b": .string("y")])
        #expect(forward != ["a": .int64(1)])
    }

    @Test func mergeReplacesSameKeys() {
        var attributes: SpanAttributes = ["a": .int64(1), "b": .int64(2)]
        attributes.merge(["b": .int64(3), "c": .int64(4)])
        #expect(attributes.count == 3)
        #expect(attributes.attribute(forKey: "b") == .int64(3))
        #expect(attributes.attribute(forKey: "c") == .int64(4))
    }

    @Test func setAttributeCountsDropsOverLimit() throws {
        var limits = SpanLimits()
        limits.maxAttributes = 2
        let processor = SimpleTestProcessor()
        let span = OTelTracer(processor: processor, limits: limits).startSpan("op", context: .topLevel)
        span.setAttribute(.int64(1), forKey: "a")
        span.setAttribute(.int64(2), forKey: "b")
        span.setAttribute(.int64(3), forKey: "c")
        span.setAttribute(.int64(4), forKey: "a")
        span.end()
        let ended = try #require(processor.endedSpans.first)
        #expect(ended.attributes.count == 2)
        #expect(ended.attributes.attribute(forKey: "a") == .int64(4))
        #expect(ended.attributes.attribute(forKey: "c") == nil)
        #expect(ended.droppedAttributeCount == 1)
    }

    @Test func attributesSetterKeepsFirstSet() throws {
        var limits = SpanLimits()
        limits.maxAttributes = 2
        let processor = SimpleTestProcessor()
        let span = OTelTracer(processor: processor, limits: limits).startSpan("op", context: .topLevel)
        span.attributes = ["z": .int64(1), "y": .int64(2), "x": .int64(3)]
        span.end()
        let ended = try #require(processor.endedSpans.first)
        #expect(ended.attributes.attribute(forKey: "z") == .int64(1))
        #expect(ended.attributes.attribute(forKey: "y") == .int64(2))
        #expect(ended.attributes.attribute(forKey: "x") == nil)
        #expect(ended.droppedAttributeCount == 1)
    }
}

@Suite struct TracingHostPortTests {
    @Test(arguments: [
        ("api.example.test:8080", "api.example.test", 8080),
        ("api.example.test", "api.example.test", nil),
        ("[::1]:9000", "::1", 9000),
        ("[::1]", "::1", nil),
        ("::1", "::1", nil),
        ("host:", "host", nil),
        ("host:x1", "host", nil),
        ("host:+80", "host", 80),
        ("host:99999999999999999999", "host", nil),
        ("127.0.0.1:54321", "127.0.0.1", 54321),
        ("h\u{e9}te.example.test:443", "h\u{e9}te.example.test", 443),
        ("[::1]x", "::1", nil),
        ("a:b:c", "a:b:c", nil),
        ("", "", nil),
    ] as [(String, String, Int?)])
    func splitsHostAndPort(authority: String, host: String, port: Int?) {
        let split = HTTPTracingSemantics.splitHostPort(Substring(authority))
        #expect(split.host == Substring(host))
        #expect(split.port == port)
        let whole = HTTPTracingSemantics.splitHostPort(authority)
        #expect(whole.host == host)
        #expect(whole.port == port)
    }
}

@Suite struct TracingRequestFieldsTests {
    @Test func firstFieldOfEachNameWins() {
        let headers = HTTPFields([
            HTTPField(name: "accept", value: "*/*"),
            HTTPField(name: "x-forwarded-for", value: "203.0.113.7, 10.0.0.1"),
            HTTPField(name: "HOST", value: "api.example.test:8443"),
            HTTPField(name: "User-Agent", value: "first"),
            HTTPField(name: "Host", value: "second.example.test"),
            HTTPField(name: "user-agent", value: "second"),
            HTTPField(name: "X-Forwarded-For", value: "198.51.100.1"),
            HTTPField(name: "Hosts", value: "not a host"),
        ])
        let fields = TracingMiddleware.RequestFields(headers)
        #expect(fields.host == headers["Host"])
        #expect(fields.host == "api.example.test:8443")
        #expect(fields.userAgent == "first")
        #expect(fields.forwardedFor == "203.0.113.7, 10.0.0.1")
    }

    @Test func missingFieldsAreNil() {
        let fields = TracingMiddleware.RequestFields(["Content-Type": "text/plain", "Hos": "x"])
        #expect(fields.host == nil)
        #expect(fields.userAgent == nil)
        #expect(fields.forwardedFor == nil)
    }

    @Test func forwardedForSetsClientAddress() {
        let headers: HTTPFields = ["Host": "api.example.test", "x-forwarded-for": " 203.0.113.7 , 10.0.0.1"]
        let request = Request(head: HTTPRequestHead(method: .get, target: "/", headers: headers))
        let attributes = TracingMiddleware.requestAttributes(request, context: RequestContext(remoteAddress: "10.0.0.1:4000"))
        #expect(attributes.attribute(forKey: "client.address") == .string("203.0.113.7"))
        #expect(attributes.attribute(forKey: "network.peer.address") == .string("10.0.0.1"))
        #expect(attributes.attribute(forKey: "server.address") == .string("api.example.test"))
        #expect(attributes.attribute(forKey: "server.port") == nil)
        #expect(attributes.attribute(forKey: "user_agent.original") == nil)
    }
}
