/// The result of one authorization decision.
public struct Decision: Sendable {
    public enum Outcome: Sendable {
        case allowed
        /// A matching policy did not allow; `allowing` matched before it.
        case forcefullyDenied(by: LadonPolicy, after: [LadonPolicy])
        /// Nothing allowed, the caller has no policies, or a template was
        /// broken; `reason` names which.
        case denied(reason: String)
    }

    public let outcome: Outcome
    /// The allowing policies when allowed; the allowing policies seen so
    /// far and the denying one when forcefully denied; empty otherwise.
    public let deciders: [LadonPolicy]
    /// Whether the walk ran, so an audit record is due. Decisions that end
    /// early (no policies, a broken template) write none.
    public let isAudited: Bool

    public var isAllowed: Bool {
        if case .allowed = outcome { true } else { false }
    }

    /// The body of the `/v1/authz` response.
    public var response: AuthzResponse {
        switch outcome {
        case .allowed: AuthzResponse(allowed: true)
        case .forcefullyDenied: AuthzResponse(allowed: false, denied: true, reason: Warden.forcefullyDenied)
        case .denied(let reason): AuthzResponse(allowed: false, denied: true, reason: reason)
        }
    }

    /// The audit record's `conclusion`, with policy ids joined by ", ".
    public var conclusion: String {
        switch outcome {
        case .allowed:
            return "policies \(Self.ids(deciders)) allow access"
        case .forcefullyDenied(let deny, let allowing) where allowing.isEmpty:
            return "policy \(deny.id) forcefully denied the access"
        case .forcefullyDenied(let deny, let allowing):
            return "policies \(Self.ids(allowing)) allow access, but policy \(deny.id) forcefully denied it"
        case .denied:
            return "no policy allowed access"
        }
    }

    private static func ids(_ policies: [LadonPolicy]) -> String {
        policies.map(\.id).joined(separator: ", ")
    }
}
