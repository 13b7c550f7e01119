/// A strict JSON parser (RFC 8259) that records the line and column of
/// every value, for error messages that point into the document.
///
/// Foundation's parser reports neither lines nor duplicate keys, which
/// RFC 8259 section 4 leaves to the implementation. This one rejects
/// duplicate keys, naming the line of the first, nesting deeper than
/// `maximumDepth`, and text after the value.
package struct JSONDocumentParser {
    package static let maximumDepth = 200

    let bytes: [UInt8]
    var index = 0
    var line = 1
    /// The index of the first byte of the current line.
    var lineStart = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON value, which may be of any type.
    /// - Throws: `ContentProblem` with the line and column of the first error.
    package static func parse(_ text: String) throws(ContentProblem) -> DocumentValue {
        var parser = JSONDocumentParser(Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw parser.problem("unexpected \(parser.describeCurrent()) after the JSON value; remove it")
        }
        return value
    }

    /// The column of `index`, counting characters rather than bytes.
    func column(at position: Int) -> Int {
        bytes[lineStart..<position].count { $0 & 0xC0 != 0x80 } + 1
    }

    func problem(_ reason: String, at position: Int? = nil) -> ContentProblem {
        ContentProblem(line: line, column: column(at: position ?? index), reason: reason)
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of the text" }
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F {
            return "\"\(Character(Unicode.Scalar(byte)))\""
        }
        return "byte 0x\(String(byte, radix: 16))"
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    mutating func parseValue() throws(ContentProblem) -> DocumentValue {
        let (startLine, startColumn) = (line, column(at: index))
        guard index < bytes.count else {
            throw problem("expected a JSON value, found the end of the text")
        }
        let content: DocumentValue.Content
        switch bytes[index] {
        case UInt8(ascii: "{"):
            content = try parseObject()
        case UInt8(ascii: "["):
            content = try parseArray()
        case UInt8(ascii: "\""):
            content = .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            content = try parseNumber()
        default:
            content = try parseLiteral()
        }
        return DocumentValue(content, line: startLine, column: startColumn)
    }

    private mutating func parseLiteral() throws(ContentProblem) -> DocumentValue.Content {
        for (word, content) in [("true", DocumentValue.Content.bool(true)), ("false", .bool(false)), ("null", .null)] {
            let wordBytes = Array(word.utf8)
            if bytes[index...].starts(with: wordBytes) {
                index += wordBytes.count
                return content
            }
        }
        throw problem("expected a JSON value (object, array, string, number, true, false or null), found \(describeCurrent())")
    }

    private mutating func enter() throws(ContentProblem) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw problem("the document nests deeper than \(Self.maximumDepth) levels; flatten it")
        }
    }

    private mutating func parseObject() throws(ContentProblem) -> DocumentValue.Content {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [DocumentMember] = []
        var firstLines: [String: Int] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw problem("expected a member name in double quotes, found \(describeCurrent())")
            }
            let (keyLine, keyColumn) = (line, column(at: index))
            let key = try parseString()
            if let first = firstLines[key] {
                throw ContentProblem(line: keyLine, column: keyColumn, reason: "duplicate key \"\(key)\", first defined on line \(first); remove one of them")
            }
            firstLines[key] = keyLine
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "\":\" after the member name \"\(key)\"")
            skipWhitespace()
            members.append(DocumentMember(key: key, line: keyLine, column: keyColumn, value: try parseValue()))
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "}"), what: "an object member") {
                return .object(members)
            }
        }
    }

    private mutating func parseArray() throws(ContentProblem) -> DocumentValue.Content {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [DocumentValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "]"), what: "an array element") {
                return .array(elements)
            }
        }
    }

    /// Consumes "," (returns false) or the closing bracket (returns true).
    private mutating func endOfList(closing: UInt8, what: String) throws(ContentProblem) -> Bool {
        guard index < bytes.count else {
            throw problem("expected \",\" or \"\(Character(Unicode.Scalar(closing)))\" after \(what), found the end of the text")
        }
        if bytes[index] == closing {
            index += 1
            return true
        }
        try expect(UInt8(ascii: ","), "\",\" or \"\(Character(Unicode.Scalar(closing)))\" after \(what)")
        skipWhitespace()
        if index < bytes.count && bytes[index] == closing {
            throw problem("trailing \",\" before \"\(Character(Unicode.Scalar(closing)))\"; JSON does not allow it, so remove it", at: index)
        }
        return false
    }

    private mutating func expect(_ byte: UInt8, _ description: String) throws(ContentProblem) {
        guard index < bytes.count, bytes[index] == byte else {
            throw problem("expected \(description), found \(describeCurrent())")
        }
        index += 1
    }
}
