@testable import StratusGatewayPolicies
import Testing

@Suite struct StrictJSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try StrictJSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKind() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d\né😀")]),
        ]))
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#,
        #"{"a":{"b":1,"b":1}}"#,
        #"[{"x":1,"x":1}]"#,
        #"{"\u0061":1,"a":2}"#,
    ])
    func duplicateMemberNamesRejected(text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'a'", "01", "1.", ".5", "-", "1e", "+1",
        "NaN", "Infinity", "1e400", "tru", "nul", "\"a", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"a\u{01}b\"", "{} {}", "[1] x", "{\"a\":1}garbage",
    ])
    func malformedRejected(text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func invalidUTF8Rejected() {
        #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse([0x22, 0xff, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse([0x22, 0xc3, 0x22]) }
    }

    @Test func deepNestingRejected() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let shallow = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(throws: Never.self) { try parse(shallow) }
    }
}
