public import StratusHTTP

/// Sheds requests while `LoadShedder` finds the server overloaded: 503
/// Service Unavailable, `Retry-After` from the shedder's configuration and
/// a JSON body whose `reason` is `overloaded`.
///
/// Every admitted request calls `complete(startedAt:)` once the rest of the
/// chain returns or throws, also when its task is cancelled, so the
/// shedder's in-flight count does not leak. The latency it learns from ends
/// there, before a streamed body has been sent. Add the middleware early
/// (outside the handlers' own work), because the shedder only sees the
/// queueing that happens after it admits a request. In `.dryRun` mode every
/// request passes and `counters.wouldReject` counts those it would shed.
public struct LoadSheddingMiddleware: RouterMiddleware {
    public let shedder: LoadShedder

    public init(shedder: LoadShedder) {
        self.shedder = shedder
    }

    public var counters: PolicyCounters { shedder.counters }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let (decision, startedAt) = shedder.admit()
        if case .rejected(let retryAfter) = decision {
            return PolicyRejection(reason: .overloaded, retryAfter: retryAfter).response
        }
        defer { shedder.complete(startedAt: startedAt) }
        return try await next(request, context)
    }
}
