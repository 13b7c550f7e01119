public import StratusHTTP

/// Rejects requests beyond a number in flight with 503 Service Unavailable,
/// `Retry-After` and a JSON body whose `reason` is `concurrency_limited`.
///
/// A request keeps its slot until the rest of the chain returns or throws,
/// also when its task is cancelled. The slot is free before a streamed
/// response body has been sent. In `.dryRun` mode every request passes and
/// `counters.wouldReject` counts those it would reject.
public struct ConcurrencyLimitMiddleware: RouterMiddleware {
    public let limiter: ConcurrencyLimiter
    /// The `Retry-After` of a rejection, at least 1 s once rounded. Default 1 s.
    public let retryAfter: Duration

    public init(limit: Int, mode: EnforcementMode = .enforce, retryAfter: Duration = .seconds(1)) {
        self.init(limiter: ConcurrencyLimiter(limit: limit, mode: mode), retryAfter: retryAfter)
    }

    public init(limiter: ConcurrencyLimiter, retryAfter: Duration = .seconds(1)) {
        self.limiter = limiter
        self.retryAfter = retryAfter
    }

    public var counters: PolicyCounters { limiter.counters }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        guard limiter.acquire().isAdmitted else {
            return PolicyRejection(reason: .concurrencyLimited, retryAfter: retryAfter).response
        }
        defer { limiter.release() }
        return try await next(request, context)
    }
}
