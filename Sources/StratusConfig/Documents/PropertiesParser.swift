/// Parses a properties document the way `java.util.Properties.load` reads
/// one: `key=value`, `key: value` or `key value` on a logical line, `#` and
/// `!` comment lines, a backslash at the end of a line to continue it, and
/// the escapes `\t`, `\n`, `\r`, `\f` and `\uXXXX`.
///
/// Unlike Java, a key given twice is an error, as in the YAML and JSON
/// formats, rather than the last one winning.
package enum PropertiesParser {
    /// One `key=value` entry with the line its key is on.
    package struct Entry: Sendable, Hashable {
        package var key: String
        package var value: String
        package var line: Int
    }

    /// - Throws: `ContentProblem` for an invalid `\u` escape or a
    ///   duplicate key.
    package static func parse(_ text: String) throws(ContentProblem) -> [Entry] {
        var entries: [Entry] = []
        var firstLines: [String: Int] = [:]
        for logical in logicalLines(text) {
            guard let entry = try parseEntry(logical.text, line: logical.line) else { continue }
            if let first = firstLines[entry.key] {
                throw ContentProblem(line: entry.line, column: 1, reason: "duplicate key \"\(entry.key)\", first defined on line \(first); remove one of them")
            }
            firstLines[entry.key] = entry.line
            entries.append(entry)
        }
        return entries
    }

    /// Joins continued natural lines: a line that ends in an odd number of
    /// backslashes continues on the next, whose leading white space is
    /// dropped. Comment and blank lines are not continued.
    static func logicalLines(_ text: String) -> [(text: Substring, line: Int)] {
        let natural = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var result: [(text: Substring, line: Int)] = []
        var current: String?
        var startLine = 0
        for (offset, raw) in natural.enumerated() {
            let trimmed = raw.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
            if current == nil {
                if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == "!" { continue }
                startLine = offset + 1
            }
            let trailingBackslashes = trimmed.reversed().prefix { $0 == "\\" }.count
            let piece = trailingBackslashes % 2 == 1 ? trimmed.dropLast() : trimmed
            current = (current ?? "") + piece
            if trailingBackslashes % 2 == 0 {
                result.append((Substring(current!), startLine))
                current = nil
            }
        }
        if let current {
            result.append((Substring(current), startLine))
        }
        return result
    }

    private static func parseEntry(_ text: Substring, line: Int) throws(ContentProblem) -> Entry? {
        var keyEnd = text.startIndex
        var escaped = false
        while keyEnd < text.endIndex {
            let character = text[keyEnd]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "=" || character == ":" || character == " " || character == "\t" || character == "\u{0C}" {
                break
            }
            keyEnd = text.index(after: keyEnd)
        }
        var rest = text[keyEnd...].drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        if rest.first == "=" || rest.first == ":" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }
        }
        let key = try unescape(text[..<keyEnd], line: line)
        return Entry(key: key, value: try unescape(rest, line: line), line: line)
    }

    private static func unescape(_ text: Substring, line: Int) throws(ContentProblem) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let escaped = iterator.next() else {
                if character != "\\" { result.append(character) }
                continue
            }
            switch escaped {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "f": result.append("\u{0C}")
            case "u":
                let digits = String((0..<4).compactMap { _ in iterator.next() })
                guard digits.count == 4, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                    throw ContentProblem(line: line, column: 1, reason: "invalid escape \\u\(digits); expected four hexadecimal digits of a Unicode scalar")
                }
                result.unicodeScalars.append(scalar)
            default: result.append(escaped)
            }
        }
        return result
    }
}
