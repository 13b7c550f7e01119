import StratusHTTP
@testable import StratusTelemetry
import Testing

@Suite struct TracingTraceParentTests {
    let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func parsesVersion00() throws {
        let context = try #require(TraceParent.parse(valid))
        #expect(context.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanID.description == "00f067aa0ba902b7")
        #expect(context.traceFlags == 1)
        #expect(context.isSampled)
        #expect(context.isRemote)
    }

    @Test func formatRoundTrip() throws {
        let context = try #require(TraceParent.parse(valid))
        #expect(TraceParent.format(context) == valid)
        let unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
        #expect(TraceParent.format(try #require(TraceParent.parse(unsampled))) == unsampled)
    }

    @Test func formatsRandomIDs() throws {
        for _ in 0..<100 {
            let context = SpanContext(traceID: .random(), spanID: .random(), traceFlags: 0)
            let parsed = try #require(TraceParent.parse(TraceParent.format(context)))
            #expect(parsed.traceID == context.traceID)
            #expect(parsed.spanID == context.spanID)
            #expect(parsed.traceFlags == 0)
        }
    }

    @Test(arguments: [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e47366-0f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
        "0-04bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-+0f067aa0ba902b7-01",
        "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
    ])
    func rejectsInvalid(_ value: String) {
        #expect(TraceParent.parse(value) == nil)
    }

    @Test func acceptsFutureVersion() throws {
        let context = try #require(TraceParent.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-the-future-holds"))
        #expect(context.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.traceFlags == 1)
    }

    @Test func acceptsFutureVersionExactLength() throws {
        let context = try #require(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
        #expect(!context.isSampled)
    }
}

@Suite struct TracingTraceStateTests {
    @Test func keepsValidMembers() {
        #expect(TraceState.normalize(["rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"]) == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    }

    @Test func trimsSpacesAndEmptyMembers() {
        #expect(TraceState.normalize([" rojo=1 ,, congo=2 "]) == "rojo=1,congo=2")
    }

    @Test func joinsRepeatedFields() {
        #expect(TraceState.normalize(["rojo=1", "congo=2"]) == "rojo=1,congo=2")
    }

    @Test func acceptsMultiTenantKey() {
        #expect(TraceState.normalize(["tenant1@vendor=x"]) == "tenant1@vendor=x")
    }

    @Test func allows32Members() {
        let members = (0..<32).map { "k\($0)=v" }.joined(separator: ",")
        #expect(TraceState.normalize([members]) == members)
    }

    @Test func drops33Members() {
        let members = (0..<33).map { "k\($0)=v" }.joined(separator: ",")
        #expect(TraceState.normalize([members]) == "")
    }

    @Test func dropsOver512Characters() {
        let value = String(repeating: "a", count: 200)
        let members = (0..<3).map { "k\($0)=\(value)" }.joined(separator: ",")
        #expect(members.utf8.count > 512)
        #expect(TraceState.normalize([members]) == "")
    }

    @Test(arguments: [
        "Rojo=1",
        "rojo",
        "rojo=",
        "rojo=a,b",
        "rojo=1,rojo=2",
        "rojo=va=lue",
        "rojo=a\tb",
        "1rojo=x",
        "t@v@w=x",
        "tenant@1vendor=x",
        "tenant@vendorwithlongname=x",
        "rojo=caf\u{e9}",
    ])
    func dropsInvalid(_ value: String) {
        #expect(TraceState.normalize([value]) == "")
    }
}

@Suite struct TracingHTTPFieldsTests {
    @Test func extractsTraceParentAndState() throws {
        let headers: HTTPFields = [
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate": "rojo=1",
        ]
        let context = try #require(headers.traceContext)
        #expect(context.traceState == "rojo=1")
    }

    @Test func ignoresStateWithoutParent() {
        let headers: HTTPFields = ["tracestate": "rojo=1"]
        #expect(headers.traceContext == nil)
    }

    @Test func rejectsRepeatedTraceParent() {
        var headers = HTTPFields()
        headers.append("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        headers.append("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01")
        #expect(headers.traceContext == nil)
    }

    @Test func injectsBothFields() {
        var headers: HTTPFields = ["tracestate": "old=1"]
        let context = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(value: 3), traceFlags: 0, traceState: "rojo=1")
        headers.setTraceContext(context)
        #expect(headers["traceparent"] == "00-00000000000000010000000000000002-0000000000000003-00")
        #expect(headers["tracestate"] == "rojo=1")
        #expect(headers.values(for: "tracestate").count == 1)
    }

    @Test func injectRemovesStaleState() {
        var headers: HTTPFields = ["tracestate": "old=1"]
        headers.setTraceContext(SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(value: 3)))
        #expect(headers["tracestate"] == nil)
    }
}

@Suite struct TracingIDHexTests {
    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    @Test func spanIDsMatchRadixFormatting() {
        var generator = SplitMix64(seed: 3)
        var values: [UInt64] = [0, 1, 9, 10, 15, 16, 0xA0B1_C2D3_E4F5_0617, .max, 0x8000_0000_0000_0000]
        values += (0..<5_000).map { _ in generator.next() }
        for value in values {
            #expect(SpanID(value: value).description == hex(value))
        }
    }

    @Test func traceIDsWriteHighThenLow() {
        let id = TraceID(high: 0x4BF9_2F35_77B3_4DA6, low: 0x00F0_67AA_0BA9_02B7)
        #expect(id.description == "4bf92f3577b34da600f067aa0ba902b7")
    }
}
