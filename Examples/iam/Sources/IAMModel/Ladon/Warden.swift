/// Decides authorization requests against a user's policies with the
/// semantics of ory/ladon v1.2.0.
///
/// The policies are walked in order. A policy matches when the action, the
/// subject and the resource each match one of its patterns and every
/// condition holds. A matching policy whose effect is not exactly `allow`
/// ends the walk with a denial, so a matching deny always wins over any
/// number of allows. Otherwise access is allowed when at least one policy
/// allowed it, and denied by default.
public struct Warden: Sendable {
    private let matcher = PatternMatcher()
    private let conditions = ConditionEvaluator(cache: .shared)

    public init() {}

    public static let forcefullyDenied = "Request was forcefully denied"
    public static let deniedByDefault = "Request was denied by default"
    public static let noPolicies = "list policies failed"

    /// Decides `request` against `policies`, the caller's policies in the
    /// order the server keeps them (newest first).
    public func decide(_ request: AuthzRequest, policies: [LadonPolicy]) -> Decision {
        guard !policies.isEmpty else {
            return Decision(outcome: .denied(reason: Self.noPolicies), deciders: [], isAudited: false)
        }
        var allowing: [LadonPolicy] = []
        for policy in policies {
            do {
                guard try matches(policy, request) else { continue }
            } catch {
                return Decision(outcome: .denied(reason: error.description), deciders: [], isAudited: false)
            }
            guard policy.allowsAccess else {
                return Decision(outcome: .forcefullyDenied(by: policy, after: allowing), deciders: allowing + [policy], isAudited: true)
            }
            allowing.append(policy)
        }
        if allowing.isEmpty {
            return Decision(outcome: .denied(reason: Self.deniedByDefault), deciders: [], isAudited: true)
        }
        return Decision(outcome: .allowed, deciders: allowing, isAudited: true)
    }

    private func matches(_ policy: LadonPolicy, _ request: AuthzRequest) throws(PatternError) -> Bool {
        guard try matcher.matchesAny(policy.actions, request.action),
              try matcher.matchesAny(policy.subjects, request.subject),
              try matcher.matchesAny(policy.resources, request.resource)
        else { return false }
        return policy.conditions.allSatisfy { key, condition in
            conditions.holds(condition, value: request.context[key] ?? .null, request: request)
        }
    }
}
