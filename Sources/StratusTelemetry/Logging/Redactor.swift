public import StratusHTTP
public import StratusLog

/// Decides which header fields, metadata keys and query parameters carry
/// secrets, and replaces their values with `[REDACTED]`. The log handlers of
/// this module apply it to every event's metadata, and the access log to what
/// it logs, so a secret never reaches a log line whatever the caller passes.
///
/// A name is sensitive when:
/// - it equals one of `sensitiveNames`, or ends with one after a separator
///   (`http.request.header.authorization`), ignoring ASCII case. By default
///   these are the header fields that carry credentials: `Authorization`,
///   `Proxy-Authorization`, `Cookie` and `Set-Cookie`.
/// - or one of its words equals one of `sensitiveWords`, or that word plus
///   `s`, ignoring ASCII case. By default the words are `password`, `secret`,
///   `token` and `key`.
///
/// Words are separated by `_`, `-`, `.`, `/`, `:` and spaces, and split at a
/// camel-case boundary: `db_password`, `X-Api-Key`, `auth.token`, `apiKey`,
/// `APIKey` and `client_secrets` are sensitive. Matching whole words avoids
/// false positives inside longer words: `monkey`, `keyboard`, `tokenizer`,
/// `secretary` and `passwordless` are not sensitive. The price is that any
/// word `key` counts, so `store.key` or `cache.key` are redacted too. Add
/// such names to `allowedNames` when their values are safe to log.
///
/// Only values are replaced: the key stays, so a reader sees that a value was
/// present. A sensitive key's whole value is replaced, even a dictionary or an
/// array. Values under other keys are searched recursively for sensitive
/// dictionary keys. Secrets inside free text (a message, an error's
/// description) are not detected.
public struct Redactor: Sendable {
    /// The text that replaces a sensitive value.
    public static let replacement = "[REDACTED]"

    /// The default words and names described above.
    public static let standard = Redactor()

    /// Lowercase UTF-8 bytes of each sensitive word.
    let sensitiveWords: [[UInt8]]
    /// Lowercase UTF-8 bytes of each sensitive name.
    let sensitiveNames: [[UInt8]]
    private let allowedNames: Set<String>

    /// Creates a redactor. Words and names are compared ignoring ASCII case.
    ///
    /// - Parameter allowedNames: exact names (case-sensitive) that are never
    ///   sensitive, such as `store.key`.
    public init(
        sensitiveWords: [String] = ["password", "secret", "token", "key"],
        sensitiveNames: [String] = ["authorization", "proxy-authorization", "cookie", "set-cookie"],
        allowedNames: Set<String> = []
    ) {
        self.sensitiveWords = sensitiveWords.map { Array($0.lowercased().utf8) }
        self.sensitiveNames = sensitiveNames.map { Array($0.lowercased().utf8) }
        self.allowedNames = allowedNames
    }

    /// Returns true when values under `name` must not be logged.
    public func isSensitive(_ name: some StringProtocol) -> Bool {
        guard matchesSensitivePattern(name) else { return false }
        return !allowedNames.contains(String(name))
    }

    /// Returns `metadata` with the values of sensitive keys replaced, at every
    /// depth. Returns it unchanged, without copying, when nothing is sensitive.
    public func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata {
            if isSensitive(key) {
                result[key] = .string(Self.replacement)
            } else if let redacted = redactNested(value) {
                result[key] = redacted
            }
        }
        return result
    }

    /// Returns `fields` with the values of sensitive fields replaced.
    public func redact(_ fields: HTTPFields) -> HTTPFields {
        HTTPFields(fields.map { field in
            isSensitive(field.name) ? HTTPField(name: field.name, value: Self.replacement) : field
        })
    }

    /// Returns a query string (the text after `?`) with the values of
    /// sensitive parameters replaced: `user=ann&api_key=abc` becomes
    /// `user=ann&api_key=[REDACTED]`. Names are compared still
    /// percent-encoded.
    public func redactQuery(_ query: some StringProtocol) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            return isSensitive(name) ? name + "=" + Self.replacement : String(pair)
        }.joined(separator: "&")
    }

    /// Returns the redacted value, or nil when nothing inside `value` changed.
    private func redactNested(_ value: Logger.MetadataValue) -> Logger.MetadataValue? {
        switch value {
        case .string, .stringConvertible:
            return nil
        case .dictionary(let entries):
            let redacted = redact(entries)
            return redacted == entries ? nil : .dictionary(redacted)
        case .array(let elements):
            let redacted = elements.map { redactNested($0) }
            guard redacted.contains(where: { $0 != nil }) else { return nil }
            return .array(zip(elements, redacted).map { $1 ?? $0 })
        }
    }
}
