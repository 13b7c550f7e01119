/// A compiled header or query condition.
struct FieldMatcher: Sendable {
    enum Test: Sendable {
        case present(Bool)
        case equals(String)
        case regex(CompiledRegex)
    }

    let name: String
    let test: Test

    init(_ condition: FieldCondition) throws {
        name = condition.name
        if let value = condition.value {
            test = .equals(value)
        } else if let pattern = condition.regex {
            test = .regex(try CompiledRegex(pattern))
        } else {
            test = .present(condition.present)
        }
    }

    /// Checks the first value of the field, or its absence.
    func matches(_ value: String?) -> Bool {
        switch test {
        case .present(let wanted): (value != nil) == wanted
        case .equals(let expected): value == expected
        case .regex(let regex): value.map(regex.matchesWhole) ?? false
        }
    }
}
