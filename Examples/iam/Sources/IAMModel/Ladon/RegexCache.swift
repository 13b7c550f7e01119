import Foundation
import Synchronization

/// Compiled regular expressions by source text, shared by every decision,
/// with compile failures cached too.
///
/// Templates and condition patterns use ICU's engine (`NSRegularExpression`)
/// where upstream uses Go's regexp2 and RE2. ICU covers regexp2's dialect
/// (lookaround, back references, `(?<name>...)`) once `(?P<name>` is
/// rewritten as `(?<name>`; rare constructs may still differ.
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

    enum SearchOutcome: Sendable, Equatable {
        case found
        case notFound
        case timedOut
    }

    /// The maximum time one search may run, as upstream's regexp2 matches are
    /// limited, so a pattern that backtracks without end cannot hold a thread.
    static let searchLimit: Duration = .milliseconds(250)

    /// Searches `text` for a match anywhere, giving up after `limit`.
    ///
    /// ICU calls the progress block periodically during a long search
    /// (`reportProgress`), which is where the limit is checked.
    static func search(_ expression: NSRegularExpression, in text: String, limit: Duration = searchLimit) -> SearchOutcome {
        let deadline = ContinuousClock.now + limit
        var outcome = SearchOutcome.notFound
        expression.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { match, _, stop in
            if match != nil {
                outcome = .found
                stop.pointee = true
            } else if ContinuousClock.now >= deadline {
                outcome = .timedOut
                stop.pointee = true
            }
        }
        return outcome
    }
}

struct RegexCompileError: Error, Sendable, CustomStringConvertible {
    let pattern: String
    let reason: String

    var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
