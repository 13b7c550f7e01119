@testable import StratusConfig
import Testing

@Suite struct JSONSchemaTests {
    private func reasons(_ schema: String, _ json: String) throws -> [String] {
        try JSONSchema(parsing: schema).validate(try JSONDocumentParser.parse(json)).map(\.description)
    }

    @Test func typeNamesAndLists() throws {
        #expect(try reasons(#"{"type": "string"}"#, #""x""#).isEmpty)
        #expect(try reasons(#"{"type": "string"}"#, "1") == ["expected string, found integer 1"])
        #expect(try reasons(#"{"type": ["string", "null"]}"#, "null").isEmpty)
        #expect(try reasons(#"{"type": "number"}"#, "3").isEmpty, "an integer is a number")
        #expect(try reasons(#"{"type": "integer"}"#, "3.0").isEmpty, "3.0 is an integer in JSON Schema")
        #expect(try reasons(#"{"type": "integer"}"#, "3.5") == ["expected integer, found number 3.5"])
        #expect(try reasons(#"{"type": "boolean"}"#, "true").isEmpty)
        #expect(try reasons(#"{"type": "object"}"#, "[]") == ["expected object, found an array"])
    }

    @Test func objectKeywords() throws {
        let schema = #"{"properties": {"a": {"type": "integer"}}, "required": ["a", "b"], "additionalProperties": {"type": "string"}}"#
        #expect(try reasons(schema, #"{"a": 1, "b": "x", "c": "y"}"#).isEmpty)
        #expect(try reasons(schema, #"{"a": "1", "c": 2}"#) == [
            "missing the required key \"b\"",
            "a: expected integer, found string \"1\"",
            "c: expected string, found integer 2",
        ])
        #expect(try reasons(#"{"additionalProperties": false}"#, #"{"x": 1}"#) == ["x: the key is not allowed here (additionalProperties is false)"])
    }

    @Test func arrayKeywords() throws {
        let schema = #"{"items": {"type": "integer", "minimum": 0}, "minItems": 1, "maxItems": 2}"#
        #expect(try reasons(schema, "[1, 2]").isEmpty)
        #expect(try reasons(schema, "[]") == ["the array has 0 items, fewer than 1"])
        #expect(try reasons(schema, "[1, -1, 3]") == ["the array has 3 items, more than 2", "[1]: -1 is below the minimum 0"])
    }

    @Test func stringKeywords() throws {
        let schema = #"{"minLength": 2, "maxLength": 3, "pattern": "^[a-z]"}"#
        #expect(try reasons(schema, #""ab""#).isEmpty)
        #expect(try reasons(schema, #""é""#) == ["the string of 1 characters is shorter than 2", "\"é\" does not match the pattern ^[a-z]"])
        #expect(try reasons(schema, #""abcd""#) == ["the string of 4 characters is longer than 3"])
        #expect(try reasons(schema, #""Ab""#) == ["\"Ab\" does not match the pattern ^[a-z]"])
        #expect(try reasons(#"{"pattern": "b"}"#, #""abc""#).isEmpty, "a pattern matches anywhere, as ECMA-262 search does")
    }

    @Test func valueKeywords() throws {
        #expect(try reasons(#"{"enum": ["a", 1, null]}"#, "1.0").isEmpty)
        #expect(try reasons(#"{"enum": ["a", 1]}"#, #""b""#) == ["\"b\" is not one of \"a\", 1"])
        #expect(try reasons(#"{"const": {"x": [1]}}"#, #"{"x": [1]}"#).isEmpty)
        #expect(try reasons(#"{"const": "on"}"#, #""off""#) == ["expected \"on\", found \"off\""])
        #expect(try reasons(#"{"minimum": 1.5, "maximum": 2}"#, "1") == ["1 is below the minimum 1.5"])
        #expect(try reasons(#"{"maximum": 2}"#, "2").isEmpty, "the maximum is inclusive")
    }

    @Test func booleanSchemas() throws {
        #expect(try reasons("true", #"{"a": 1}"#).isEmpty)
        #expect(try reasons("false", "1") == ["no value is allowed here (the schema is false)"])
        #expect(try reasons(#"{"properties": {"gone": false}}"#, #"{"gone": 1}"#) == ["gone: no value is allowed here (the schema is false)"])
    }

    @Test func annotationsAreIgnored() throws {
        let schema = #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "t", "description": "d", "default": 1, "examples": [1], "$comment": "c", "$id": "x"}"#
        #expect(try reasons(schema, "1").isEmpty)
    }

    @Test(arguments: [
        (#"{"format": "email"}"#, "unsupported schema keyword \"format\""),
        (#"{"type": "text"}"#, "unknown type \"text\""),
        (#"{"minLength": -1}"#, "minLength must be a non-negative integer"),
        (#"{"minimum": "1"}"#, "minimum must be a number"),
        (#"{"pattern": "("}"#, "is not a valid regular expression"),
        (#"{"required": "a"}"#, "required must be an array of strings"),
        (#"{"enum": []}"#, "enum must be a non-empty array"),
        (#"{"properties": []}"#, "properties must be an object of schemas"),
        ("[]", "a schema must be an object, true or false"),
        (#"{"items": {"oneOf": []}}"#, "unsupported schema keyword \"oneOf\""),
    ])
    func rejectsMalformedSchemas(schema: String, reason: String) {
        do {
            _ = try JSONSchema(parsing: schema)
            Issue.record("\(schema) parsed")
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func violationsCarryLines() throws {
        let schema = try JSONSchema(parsing: #"{"properties": {"a": {"items": {"type": "string"}}}}"#)
        let violations = schema.validate(try JSONDocumentParser.parse("{\n  \"a\": [\n    \"x\",\n    2\n  ]\n}"))
        #expect(violations.count == 1)
        #expect(violations.first?.path == "a[1]")
        #expect(violations.first?.line == 4)
        #expect(violations.first?.column == 5)
    }

    @Test func violationsStopAtTheLimit() throws {
        let schema = try JSONSchema(parsing: #"{"items": {"type": "string"}}"#)
        let array = "[" + (0..<50).map(String.init).joined(separator: ",") + "]"
        #expect(schema.validate(try JSONDocumentParser.parse(array), limit: 5).count == 5)
    }
}
