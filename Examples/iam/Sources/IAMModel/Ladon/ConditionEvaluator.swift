/// Evaluates conditions against context values as ory/ladon v1.2.0 does.
/// Every condition fails on a missing (null) value.
struct ConditionEvaluator: Sendable {
    let cache: RegexCache

    func holds(_ condition: Condition, value: JSONValue, request: AuthzRequest) -> Bool {
        switch condition {
        case .cidr(let cidr):
            guard let address = value.stringValue, let network = IPNetwork(cidr: cidr) else { return false }
            return network.contains(address)
        case .stringEqual(let equals):
            return value.stringValue == equals
        case .stringMatch(let matches):
            guard let text = value.stringValue else { return false }
            guard !matches.isEmpty else { return true }
            guard case .success(let expression) = cache.expression(for: matches) else { return false }
            // A search that times out counts as no match: Go's RE2, which
            // upstream uses here, never backtracks, so it has no timeout.
            return RegexCache.search(expression, in: text) == .found
        case .boolean(let expected):
            return value.boolValue == expected
        case .equalsSubject:
            return value.stringValue == request.subject
        case .stringPairsEqual:
            return Self.pairsAreEqual(value)
        case .resourceContains:
            return Self.resourceContains(value, resource: request.resource)
        }
    }

    /// Returns whether the value is an array of two-string arrays whose two
    /// strings are equal. An empty array passes.
    private static func pairsAreEqual(_ value: JSONValue) -> Bool {
        guard let pairs = value.arrayValue else { return false }
        return pairs.allSatisfy { pair in
            guard let items = pair.arrayValue, items.count == 2,
                  let first = items[0].stringValue, let second = items[1].stringValue
            else { return false }
            return first == second
        }
    }

    /// Returns whether the value is an object with a non-empty string
    /// `value` and an optional string `delimiter`, such that
    /// `delimiter + resource + delimiter` contains `delimiter + value + delimiter`.
    private static func resourceContains(_ value: JSONValue, resource: String) -> Bool {
        guard let filter = value.objectValue, let needle = filter["value"]?.stringValue, !needle.isEmpty else {
            return false
        }
        let delimiter = filter["delimiter"]?.stringValue ?? ""
        return (delimiter + resource + delimiter).contains(delimiter + needle + delimiter)
    }
}
