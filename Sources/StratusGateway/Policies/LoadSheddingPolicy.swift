import StratusHTTP
import StratusResilience

/// Sheds load at the gateway itself while the CPU is saturated.
struct LoadSheddingPolicy: RouterMiddleware {
    let shedder: LoadShedder
    let dryRun: Bool
    let record: @Sendable (String) -> Void

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        let (decision, startedAt) = shedder.admit()
        if case .rejected(let retryAfter) = decision {
            // A rejected admit counts no request in flight, so nothing
            // completes it, in a dry run either.
            guard dryRun else {
                record("rejected")
                return PolicyRejection(reason: .overloaded, retryAfter: retryAfter).response
            }
            record("would_reject")
            return try await next(request, context)
        }
        record("admitted")
        defer { shedder.complete(startedAt: startedAt) }
        return try await next(request, context)
    }
}
