import Foundation
import Synchronization

/// Compiled regular expressions by source text, shared by every decision,
/// with compile failures cached too.
///
/// Templates and condition patterns use ICU's engine (`NSRegularExpression`)
/// where upstream uses Go's regexp2 and RE2. ICU covers regexp2's dialect
/// (lookaround, back references, `(?<name>...)`) once `(?P<name>` is
/// rewritten as `(?<name>`; rare constructs may still differ.
///
/// NOTE: upstream limits each template match to 250 ms. NSRegularExpression
/// has no time limit, so a pathological pattern in a user's own policy can
/// hold a thread for as long as its backtracking takes.
final class RegexCache: Sendable {
    private let compiled = Mutex<[String: Result<NSRegularExpression, RegexCompileError>]>([:])
    private let limit: Int

    init(limit: Int = 10_000) {
        self.limit = limit
    }

    static let shared = RegexCache()

    func expression(for pattern: String) -> Result<NSRegularExpression, RegexCompileError> {
        if let cached = compiled.withLock({ $0[pattern] }) {
            return cached
        }
        let result: Result<NSRegularExpression, RegexCompileError>
        do {
            let source = pattern.replacingOccurrences(of: "(?P<", with: "(?<")
            result = .success(try NSRegularExpression(pattern: source))
        } catch {
            result = .failure(RegexCompileError(pattern: pattern, reason: "\(error)"))
        }
        compiled.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[pattern] = result
        }
        return result
    }

    /// Returns whether the expression finds a match anywhere in `text`.
    static func finds(_ expression: NSRegularExpression, in text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

struct RegexCompileError: Error, Sendable, CustomStringConvertible {
    let pattern: String
    let reason: String

    var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
