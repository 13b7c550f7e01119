@testable import StratusConfig
import Testing

@Suite struct JSONDocumentParserTests {
    private func parseProblem(_ text: String) -> ContentProblem? {
        do {
            _ = try JSONDocumentParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryType() throws {
        let value = try JSONDocumentParser.parse(#"{"a": 1, "b": -2.5e1, "c": "x\n\u00e9\ud83d\ude00", "d": [true, false, null], "e": {}}"#)
        guard case .object(let members) = value.content else {
            Issue.record("expected an object, found \(value.typeName)")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(value["a"] == DocumentValue(.integer(1)))
        #expect(value["b"] == DocumentValue(.number(-25)))
        #expect(value["c"] == DocumentValue(.string("x\né😀")))
        #expect(value["d"] == DocumentValue(.array([DocumentValue(.bool(true)), DocumentValue(.bool(false)), DocumentValue(.null)])))
    }

    @Test func recordsLinesAndColumns() throws {
        let value = try JSONDocumentParser.parse("{\n  \"server\": {\n    \"port\": 8080\n  }\n}")
        let port = try #require(value["server"]?["port"])
        #expect(port.line == 3)
        #expect(port.column == 13)
    }

    @Test func largeIntegerBecomesNumber() throws {
        let value = try JSONDocumentParser.parse("[9223372036854775807, 9223372036854775808]")
        guard case .array(let elements) = value.content else {
            Issue.record("expected an array")
            return
        }
        #expect(elements[0] == DocumentValue(.integer(.max)))
        if case .number = elements[1].content {} else {
            Issue.record("expected a number beyond Int64, found \(elements[1].typeName)")
        }
    }

    @Test(arguments: [
        ("{\"a\": 1,\n \"b\": [1, 2,\n}", 3, 1, "expected a JSON value"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\", first defined on line 1"),
        ("[1, 2,]", 1, 7, "trailing \",\""),
        ("{\"a\": tru}", 1, 7, "expected a JSON value"),
        ("{\"a\": 1} x", 1, 10, "unexpected \"x\" after the JSON value"),
        ("{\"a\": 01}", 1, 7, "leading zero"),
        ("{\"a\": \"x\ty\"}", 1, 9, "control character 0x9"),
        ("{\"a\": \"\\q\"}", 1, 8, "invalid escape \\q"),
        ("{\"a\": \"\\ud800\"}", 1, 8, "high surrogate"),
        ("{\"a\": 1e400}", 1, 7, "out of range"),
        ("{\"a\" 1}", 1, 6, "expected \":\""),
        ("", 1, 1, "found the end of the text"),
        ("\"unterminated", 1, 14, "unterminated string"),
        ("{\"é\": [1 2]}", 1, 10, "expected \",\" or \"]\""),
    ])
    func rejectsInvalidJSON(text: String, line: Int, column: Int, reason: String) throws {
        let problem = try #require(parseProblem(text), "\(text) parsed")
        #expect(problem.line == line, "\(problem)")
        #expect(problem.column == column, "\(problem)")
        #expect(problem.reason.contains(reason), "\(problem)")
    }

    @Test func rejectsDeepNesting() throws {
        let text = String(repeating: "[", count: 201) + String(repeating: "]", count: 201)
        let problem = try #require(parseProblem(text))
        #expect(problem.reason.contains("deeper than 200 levels"))
    }
}
