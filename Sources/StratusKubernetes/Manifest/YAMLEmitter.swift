/// Writes manifest values as block-style YAML, two spaces per level.
///
/// Strings are written plain when a YAML 1.1 or 1.2 reader takes them back
/// as the same string, and in double quotes with JSON escapes otherwise:
/// `"true"`, `"8080"`, `"*"`, `""`, and any text with a newline or a
/// character that starts YAML syntax.
enum YAMLEmitter {
    static func document(_ value: ManifestValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    private static func write(_ value: ManifestValue, indent: Int, into output: inout String) {
        switch value {
        case .map(let entries) where !entries.isEmpty:
            for entry in entries {
                writeEntry(entry, indent: indent, into: &output)
            }
        case .list(let items) where !items.isEmpty:
            for item in items {
                output += String(repeating: " ", count: indent) + "-"
                writeListItem(item, indent: indent + 2, into: &output)
            }
        default:
            output += String(repeating: " ", count: indent) + scalar(value) + "\n"
        }
    }

    private static func writeEntry(_ entry: ManifestEntry, indent: Int, into output: inout String) {
        let prefix = String(repeating: " ", count: indent) + key(entry.key) + ":"
        switch entry.value {
        case .map(let entries) where !entries.isEmpty:
            output += prefix + "\n"
            write(entry.value, indent: indent + 2, into: &output)
        case .list(let items) where !items.isEmpty:
            output += prefix + "\n"
            write(entry.value, indent: indent, into: &output)
        default:
            output += prefix + " " + scalar(entry.value) + "\n"
        }
    }

    /// Writes a list item after its "-": a mapping's first key on the dash's
    /// line, the rest below it.
    private static func writeListItem(_ item: ManifestValue, indent: Int, into output: inout String) {
        switch item {
        case .map(let entries) where !entries.isEmpty:
            var first = ""
            writeEntry(entries[0], indent: indent, into: &first)
            output += " " + first.dropFirst(indent)
            for entry in entries.dropFirst() {
                writeEntry(entry, indent: indent, into: &output)
            }
        case .list(let items) where !items.isEmpty:
            output += "\n"
            write(item, indent: indent, into: &output)
        default:
            output += " " + scalar(item) + "\n"
        }
    }

    private static func scalar(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .int(let number): "\(number)"
        case .double(let number): number.isFinite ? "\(number)" : (number.isNaN ? ".nan" : (number > 0 ? ".inf" : "-.inf"))
        case .bool(let flag): flag ? "true" : "false"
        case .list: "[]"
        case .map: "{}"
        }
    }

    private static func key(_ text: String) -> String {
        quoted(text)
    }

    /// Words that YAML 1.1 readers (many Kubernetes tools) take as booleans
    /// or null.
    private static let reservedWords: Set<String> = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
    ]

    static func quoted(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        if reservedWords.contains(text.lowercased()) { return true }
        if looksNumeric(text) { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
        if first == " " || last == " " || last == ":" { return true }
        if text.contains(": ") || text.contains(" #") { return true }
        return text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || $0 == "\\" }
    }

    /// Whether a YAML reader could take the text as a number.
    private static func looksNumeric(_ text: String) -> Bool {
        let body = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard let first = body.first else { return false }
        if first.isNumber || first == "." { return true }
        let lowered = body.lowercased()
        return lowered == ".inf" || lowered == ".nan"
    }

    private static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
