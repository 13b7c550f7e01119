@testable import StratusConfig
import Testing

@Suite struct ContentValidatorTests {
    private let namespace = NamespaceCoordinates(application: "iam-apiserver", environment: "dev", namespace: "application")

    private func failure(_ content: ConfigContent, schema: String? = nil) throws -> ConfigCenterError? {
        let parsed = try schema.map { try JSONSchema(parsing: $0) }
        do {
            try ContentValidator.validate(content, schema: parsed, namespace: namespace)
            return nil
        } catch {
            return error
        }
    }

    @Test func validDocumentsPass() throws {
        #expect(try failure(ConfigContent(format: .yaml, document: "server:\n  port: 8080\n")) == nil)
        #expect(try failure(ConfigContent(format: .json, document: "{\"server\": {\"port\": 8080}}")) == nil)
        #expect(try failure(ConfigContent(format: .properties, document: "server.port=8080\n")) == nil)
        #expect(try failure(ConfigContent(format: .keyValue, items: [ConfigItem(key: "a", value: "1")])) == nil)
        #expect(try failure(ConfigContent(format: .yaml, document: "")) == nil, "an empty YAML document is an empty mapping")
    }

    @Test(arguments: [
        (NamespaceFormat.yaml, "server:\n  port: 8080\n  host: [a\nname: x\n", 4, "invalid YAML"),
        (.yaml, "a: 1\nb: 2\na: 3\n", 3, "duplicate key \"a\", first defined on line 1"),
        (.yaml, "a:\n\t- 1\n", 2, "tabs"),
        (.yaml, "- 1\n- 2\n", 1, "the top level is a sequence"),
        (.json, "{\n  \"a\": 1,\n  \"b\": }\n", 3, "expected a JSON value"),
        (.json, "[1]", 1, "the top level is a sequence"),
        (.properties, "good=1\nbad..key=2\n", 2, "invalid key \"bad..key\""),
    ])
    func parseErrorsNameTheLine(format: NamespaceFormat, document: String, line: Int, reason: String) throws {
        let error = try #require(try failure(ConfigContent(format: format, document: document)), "\(document) passed")
        #expect(error.code == .invalidContent)
        #expect(error.line == line, "\(error.message)")
        #expect(error.reason?.contains(reason) == true, "\(error.message)")
        #expect(error.message.hasPrefix("cannot publish iam-apiserver/dev/application: line \(line),"), "\(error.message)")
        #expect(error.message.contains("Nothing was published"))
        #expect(error.namespace == namespace)
    }

    @Test func schemaViolationsNameTheLine() throws {
        let schema = #"{"type": "object", "properties": {"server": {"type": "object", "properties": {"port": {"type": "integer", "maximum": 65535}}}}}"#
        let error = try #require(try failure(ConfigContent(format: .yaml, document: "name: x\nserver:\n  port: 70000\n"), schema: schema))
        #expect(error.code == .invalidContent)
        #expect(error.line == 3)
        #expect(error.column == 9)
        #expect(error.reason == "server.port: 70000 is above the maximum 65535")
        #expect(error.message.contains("line 3, column 9: server.port: 70000 is above the maximum 65535"))
    }

    @Test func keyValueItemsValidateAsObjectOfStrings() throws {
        let schema = #"{"type": "object", "properties": {"port": {"type": "string", "pattern": "^[0-9]+$"}}, "required": ["port"], "additionalProperties": false}"#
        #expect(try failure(ConfigContent(format: .keyValue, items: [ConfigItem(key: "port", value: "8080")]), schema: schema) == nil)
        let error = try #require(try failure(ConfigContent(format: .keyValue, items: [ConfigItem(key: "port", value: "80a"), ConfigItem(key: "x", value: "1")]), schema: schema))
        #expect(error.key == "port")
        #expect(error.line == nil)
        #expect(error.message.contains("port: \"80a\" does not match the pattern ^[0-9]+$"))
        #expect(error.message.contains("x: the key is not allowed here"))
        let missing = try #require(try failure(ConfigContent(format: .keyValue), schema: schema))
        #expect(missing.reason == "missing the required key \"port\"")
    }

    @Test func integerSchemaRejectsStringItems() throws {
        let error = try #require(try failure(ConfigContent(format: .keyValue, items: [ConfigItem(key: "port", value: "8080")]), schema: #"{"properties": {"port": {"type": "integer"}}}"#))
        #expect(error.reason == "port: expected integer, found string \"8080\"")
    }

    @Test func invalidSchemaNamesItsLine() throws {
        #expect(throws: ConfigCenterError.self) {
            try ContentValidator.parseSchema("{\n  \"type\": \"object\",\n  \"minLenght\": 3\n}", namespace: namespace)
        }
        do {
            _ = try ContentValidator.parseSchema("{\n  \"type\": \"object\",\n  \"minLenght\": 3\n}", namespace: namespace)
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.line == 3)
            #expect(error.message.contains("unsupported schema keyword \"minLenght\""))
        }
    }
}
