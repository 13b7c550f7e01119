/// libyaml's description of why parsing failed, copied out of the parser.
struct YAMLSyntaxProblem: Sendable {
    /// The problem text, such as "found character that cannot start any
    /// token".
    var problem: String
    /// The 1-based position of the problem.
    var line: Int
    var column: Int
    /// The context text, such as "while scanning a simple key", and where
    /// that context starts.
    var context: (text: String, line: Int, column: Int)?
    /// Whether the character at the problem is a tab, which YAML does not
    /// allow in indentation.
    var isTab = false

    /// Builds the error for the problem, such as `config.yaml:3:1: invalid YAML:
    /// found character that cannot start any token (while scanning for the
    /// next token at line 3, column 1); fix the syntax`.
    func error(origin: ConfigOrigin) -> ConfigurationError {
        var message = "invalid YAML: \(problem)"
        if let context {
            message += " (\(context.text) at line \(context.line), column \(context.column))"
        }
        let location = ConfigLocation(origin: origin, line: line, column: column)
        let fix = isTab ? "indent with spaces, because YAML does not allow tabs there" : fixHint(for: origin)
        return ConfigurationError(.invalidYAML, "\(location.messagePrefix)\(message)\(fix.map { "; " + $0 } ?? "")", location: location)
    }

    /// What to do, or nil for a release, whose publisher says it.
    private func fixHint(for origin: ConfigOrigin) -> String? {
        switch origin {
        case .environment(let variable): "fix the YAML flow value of \(variable), such as [a, b] or {key: value}"
        case .flag: "fix the YAML flow value of the flag, such as [a, b] or {key: value}"
        case .file, .none: "fix the syntax"
        case .release: nil
        }
    }

    /// Returns the character at a 1-based line and column, or nil past the
    /// end.
    static func character(atLine line: Int, column: Int, in bytes: [UInt8]) -> Character? {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let characters = Array(String(decoding: lines[line - 1], as: UTF8.self))
        return column >= 1 && column <= characters.count ? characters[column - 1] : nil
    }

    /// Returns the 1-based line and column of a byte offset. The column
    /// counts bytes.
    static func lineAndColumn(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let before = bytes.prefix(offset)
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (line, offset - lineStart + 1)
    }
}
