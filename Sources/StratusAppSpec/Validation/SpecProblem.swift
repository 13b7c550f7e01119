/// One thing wrong in an app spec: where, which field, and what is allowed.
///
/// ```
/// stratus.yaml:7:15: services[1].replicas: -1 is below 0; expected a number of replicas from 0 up
/// ```
public struct SpecProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, line and column, such as `stratus.yaml:7:15`; nil when the
    /// spec did not come from a file or the field is not in it.
    public var location: String?
    /// The field's key path, such as `services[1].replicas`; nil for a
    /// problem of the whole spec.
    public var field: String?
    /// The problem and what is allowed.
    public var message: String

    public init(location: String? = nil, field: String?, _ message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let subject = field.map { "\($0): " } ?? ""
        return place + subject + message
    }
}

/// An app spec that cannot be used, with every problem found in it.
public struct AppSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, or a name for the source such as `request body`.
    public var source: String
    public var problems: [SpecProblem]

    public init(source: String, problems: [SpecProblem]) {
        self.source = source
        self.problems = problems
    }

    /// A first line that counts the problems, then one line each.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "invalid app spec \(source) (\(count)):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
