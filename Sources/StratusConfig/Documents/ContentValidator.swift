/// The check a draft passes before it is published: its document parses,
/// and the parsed value passes the namespace's JSON Schema.
package enum ContentValidator {
    /// - Parameters:
    ///   - action: the verb the error message uses, such as `publish`.
    /// - Throws: `ConfigCenterError` with code `invalidContent`, the line,
    ///   column and reason of the first problem, and up to three more in
    ///   the message.
    package static func validate(_ content: ConfigContent, schema: JSONSchema?, namespace: NamespaceCoordinates, action: String = "publish") throws(ConfigCenterError) {
        let value: DocumentValue
        do {
            value = try ContentParser.parse(content, name: "\(namespace) draft")
        } catch {
            throw ConfigCenterError(
                .invalidContent,
                "cannot \(action) \(namespace): \(error.description). Nothing was published; fix the \(content.format.rawValue) document and try again",
                namespace: namespace,
                line: error.line > 0 ? error.line : nil,
                column: error.line > 0 ? error.column : nil,
                reason: error.reason
            )
        }
        guard let schema else { return }
        let violations = schema.validate(value)
        guard let first = violations.first else { return }
        let shown = violations.prefix(4).map { violation in
            violation.line > 0 ? "line \(violation.line), column \(violation.column): \(violation.description)" : violation.description
        }
        let more = violations.count > 4 ? " (and more)" : ""
        throw ConfigCenterError(
            .invalidContent,
            "cannot \(action) \(namespace): the content fails the namespace's schema: \(shown.joined(separator: "; "))\(more). Nothing was published; fix the draft or the schema and try again",
            namespace: namespace,
            key: content.format == .keyValue ? first.path : nil,
            line: first.line > 0 ? first.line : nil,
            column: first.line > 0 ? first.column : nil,
            reason: first.description
        )
    }

    /// Parses a schema's JSON text, for attaching it to a namespace.
    /// - Throws: `ConfigCenterError` with code `invalidArgument` and the
    ///   line of the problem.
    package static func parseSchema(_ text: String, namespace: NamespaceCoordinates) throws(ConfigCenterError) -> JSONSchema {
        do {
            return try JSONSchema(parsing: text)
        } catch {
            throw ConfigCenterError(
                .invalidArgument,
                "invalid JSON Schema for \(namespace): \(error.description); fix the schema",
                namespace: namespace,
                line: error.line > 0 ? error.line : nil,
                column: error.line > 0 ? error.column : nil,
                reason: error.reason
            )
        }
    }
}
