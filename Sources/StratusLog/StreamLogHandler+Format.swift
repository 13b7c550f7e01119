extension StreamLogHandler {
    /// Formats one event as a line ending in a newline.
    ///
    /// The message has its control characters escaped, so that one event is
    /// always one line. A metadata value is written bare unless it is empty or
    /// contains a space, `"`, `=` or a control character. In that case it is
    /// written in double quotes with `"`, `\` and control characters escaped,
    /// so a reader can split the line back into pairs.
    static func formatLine(
        timestamp: String,
        level: Logger.Level,
        label: String,
        message: Logger.Message,
        metadata: Logger.Metadata
    ) -> String {
        var line = "\(timestamp) \(level.rawValue) \(label): "
        appendEscaped(message.description, to: &line)
        for key in metadata.keys.sorted() {
            line += " \(key)="
            appendValue(metadata[key]!.description, to: &line)
        }
        line += "\n"
        return line
    }

    /// Appends `value` bare, or quoted and escaped when it needs quotes.
    package static func appendValue(_ value: String, to line: inout String) {
        guard needsQuotes(value) else {
            line += value
            return
        }
        line += "\""
        appendEscaped(value, to: &line)
        line += "\""
    }

    private static func needsQuotes(_ value: String) -> Bool {
        value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar.properties.generalCategory == .control
        }
    }

    /// Appends `text` with `"`, `\\` and control characters escaped.
    package static func appendEscaped(_ text: String, to line: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    line += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }
    }
}
