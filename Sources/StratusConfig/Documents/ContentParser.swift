/// Parses a draft's or a release's content into its JSON-model value: a
/// document by its format, key-value items as an object of strings.
package enum ContentParser {
    /// - Parameter name: how messages name the text, such as
    ///   `iam-apiserver/dev/application draft`.
    /// - Throws: `ContentProblem` with the line and the reason.
    package static func parse(_ content: ConfigContent, name: String) throws(ContentProblem) -> DocumentValue {
        switch content.format {
        case .keyValue:
            return DocumentValue(.object(content.items.map { DocumentMember(key: $0.key, value: DocumentValue(.string($0.value))) }))
        case .properties:
            return try parseProperties(content.document ?? "")
        case .json:
            return try requireObject(try JSONDocumentParser.parse(content.document ?? ""), format: "a JSON object")
        case .yaml:
            return try requireObject(try parseYAML(content.document ?? "", name: name), format: "a YAML mapping")
        }
    }

    /// Parses YAML with the configuration loader's libyaml parser.
    static func parseYAML(_ text: String, name: String) throws(ContentProblem) -> DocumentValue {
        do {
            return try YAMLDocumentParser.parse(Array(text.utf8), origin: .release(name), firstID: 0).root.documentValue
        } catch {
            throw ContentProblem(line: error.location?.line ?? 0, column: error.location?.column ?? 0, reason: error.reason)
        }
    }

    private static func parseProperties(_ text: String) throws(ContentProblem) -> DocumentValue {
        var members: [DocumentMember] = []
        for entry in try PropertiesParser.parse(text) {
            do {
                _ = try ConfigKeyPath(parsing: entry.key)
            } catch {
                throw ContentProblem(line: entry.line, column: 1, reason: "invalid key \"\(entry.key)\": \(error.reason)")
            }
            members.append(DocumentMember(key: entry.key, line: entry.line, column: 1, value: DocumentValue(.string(entry.value), line: entry.line, column: 1)))
        }
        return DocumentValue(.object(members), line: 1, column: 1)
    }

    /// Instances read keys from a document, so its top level must be a
    /// mapping.
    private static func requireObject(_ value: DocumentValue, format: String) throws(ContentProblem) -> DocumentValue {
        guard case .object = value.content else {
            throw ContentProblem(line: value.line, column: value.column, reason: "the top level is \(value.typeName == "array" ? "a sequence" : "a single value"); expected \(format) of keys, because instances read keys from it")
        }
        return value
    }
}
