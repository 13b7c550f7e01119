/// A JSON value as the strict parser returns it.
enum JSONValue: Sendable, Hashable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number; every JSON number is read as a finite `Double`.
    case number(Double)
    case bool(Bool)
    case null

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}

/// Malformed JSON: the reason and the byte offset where parsing stopped.
struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    var reason: String
    var offset: Int

    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
