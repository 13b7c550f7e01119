import Foundation

/// Matches the entries of a policy's `subjects`, `actions` or `resources`
/// against one request value, as ory/ladon v1.2.0's regexp matcher does.
///
/// An entry without `<` is compared for exact, case-sensitive equality. An
/// entry with `<` is a template: each depth-one `<...>` part is a regular
/// expression, every other part is literal text, and the whole template
/// must match the whole value. `users:<peter|ken>` becomes
/// `^users:(peter|ken)$`. Delimiters nest, so `a<b<c>d>` has the single
/// body `b<c>d`; a `>` below depth zero or a `<` left open is invalid.
public struct PatternMatcher: Sendable {
    private let cache: RegexCache

    public init() {
        cache = .shared
    }

    /// Returns whether any entry of `patterns` matches `value`. Entries are
    /// tried in order and the first match ends the search, so a broken
    /// template after it is never compiled.
    ///
    /// - Throws: `PatternError` for the first broken template reached, or a
    ///   match that runs longer than 250 ms.
    public func matchesAny(_ patterns: [String]?, _ value: String) throws(PatternError) -> Bool {
        for pattern in patterns ?? [] {
            guard pattern.utf8.contains(UInt8(ascii: "<")) else {
                if pattern == value { return true }
                continue
            }
            switch cache.expression(for: try Self.regularExpression(forTemplate: pattern)) {
            case .success(let expression):
                switch RegexCache.search(expression, in: value) {
                case .found: return true
                case .notFound: continue
                case .timedOut: throw PatternError(template: pattern, reason: "the match timed out after \(RegexCache.searchLimit)")
                }
            case .failure(let error):
                throw PatternError(template: pattern, reason: error.reason)
            }
        }
        return false
    }

    /// Builds the anchored expression of a template: literal parts escaped,
    /// each `<...>` body in a capturing group.
    public static func regularExpression(forTemplate template: String) throws(PatternError) -> String {
        var expression = "^"
        var depth = 0
        var bodyStart = template.startIndex
        var literalStart = template.startIndex
        for index in template.indices {
            switch template[index] {
            case "<":
                depth += 1
                if depth == 1 {
                    expression += NSRegularExpression.escapedPattern(for: String(template[literalStart..<index]))
                    bodyStart = template.index(after: index)
                }
            case ">":
                depth -= 1
                if depth == 0 {
                    expression += "(" + template[bodyStart..<index] + ")"
                    literalStart = template.index(after: index)
                } else if depth < 0 {
                    throw PatternError(template: template, reason: "unbalanced braces")
                }
            default:
                break
            }
        }
        guard depth == 0 else { throw PatternError(template: template, reason: "unbalanced braces") }
        return expression + NSRegularExpression.escapedPattern(for: String(template[literalStart...])) + "$"
    }
}

/// A template that cannot be compiled. Its description becomes the
/// decision's reason.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    public let template: String
    public let reason: String

    public var description: String { "invalid template \"\(template)\": \(reason)" }
}
