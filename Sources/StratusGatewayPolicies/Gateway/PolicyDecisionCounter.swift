import StratusHTTP

/// Runs one policy's middleware and counts its decision for the gateway's
/// `stratus_gateway_policy_decisions_total`. The decision is `admitted`
/// when the policy passed the request on or responded itself with a status
/// below 400 (a CORS preflight), and `rejected` when it responded with 400
/// or above.
struct PolicyDecisionCounter: RouterMiddleware {
    let policy: any RouterMiddleware
    let record: @Sendable (_ decision: String) -> Void

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        var passed = false
        let response = try await policy.handle(request, context: context) { request, context in
            passed = true
            record("admitted")
            return try await next(request, context)
        }
        if !passed {
            record(response.status.code < 400 ? "admitted" : "rejected")
        }
        return response
    }
}
