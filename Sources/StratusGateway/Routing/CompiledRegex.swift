/// A regular expression compiled once from configuration and used from
/// every connection.
///
/// `@unchecked Sendable`: the regex is immutable after init, and matching
/// does not mutate it; `Regex` is not marked `Sendable` because its output
/// type `AnyRegexOutput` is not.
final class CompiledRegex: @unchecked Sendable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>

    /// Throws the parser's error for an invalid pattern.
    init(_ pattern: String, ignoresCase: Bool = false) throws {
        self.pattern = pattern
        let regex = try Regex(pattern)
        self.regex = ignoresCase ? regex.ignoresCase() : regex
    }

    /// Returns whether the pattern matches the whole of `text`.
    func matchesWhole(_ text: some StringProtocol) -> Bool {
        (try? regex.wholeMatch(in: String(text))) != nil
    }
}
