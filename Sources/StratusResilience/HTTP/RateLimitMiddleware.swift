public import StratusHTTP

/// Rejects requests over a rate limit with 429 Too Many Requests.
///
/// A rejected request gets `PolicyRejection.response`: `Retry-After` in
/// whole seconds (rounded up, at least 1) and a JSON body whose `reason` is
/// `rate_limited`. With `includesQuotaFields`, every response also gets the
/// fields of draft-ietf-httpapi-ratelimit-headers-06 (an Internet-Draft,
/// not a standard): `RateLimit-Limit` (the burst or the window's limit),
/// `RateLimit-Remaining` (requests left now) and `RateLimit-Reset` (seconds,
/// rounded up, until the whole quota is back). They are off by default
/// because formatting them costs three strings per response.
///
/// Limit per route by adding the middleware to a `RouterGroup`, or with one
/// middleware on the router and `key: .route`. In `.dryRun` mode every
/// request passes and `counters.wouldReject` counts those it would reject.
public struct RateLimitMiddleware: RouterMiddleware {
    public let limiter: KeyedRateLimiter
    public let key: RateLimitKey
    public let includesQuotaFields: Bool

    /// - Parameters:
    ///   - key: what requests are counted by. Default `.global`.
    ///   - maxKeys: the most keys kept at once; see `KeyedRateLimiter`.
    public init(
        _ limit: RateLimit,
        key: RateLimitKey = .global,
        maxKeys: Int = 10_000,
        mode: EnforcementMode = .enforce,
        includesQuotaFields: Bool = false,
        clock: ResilienceClock = .system
    ) {
        self.init(limiter: KeyedRateLimiter(limit, maxKeys: maxKeys, mode: mode, clock: clock), key: key, includesQuotaFields: includesQuotaFields)
    }

    /// Creates a middleware over an existing limiter, to share one quota
    /// between routers.
    public init(limiter: KeyedRateLimiter, key: RateLimitKey = .global, includesQuotaFields: Bool = false) {
        self.limiter = limiter
        self.key = key
        self.includesQuotaFields = includesQuotaFields
    }

    /// The limiter's decisions over all keys, for metrics.
    public var counters: PolicyCounters { limiter.counters }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        let outcome = limiter.acquireWithQuota(key: key.extract(request, context) ?? "")
        var response: Response
        switch outcome.decision {
        case .admitted:
            response = try await next(request, context)
        case .rejected(let retryAfter):
            response = PolicyRejection(reason: .rateLimited, retryAfter: retryAfter).response
        }
        if includesQuotaFields {
            addQuotaFields(outcome, to: &response)
        }
        return response
    }

    private func addQuotaFields(_ outcome: RateLimitOutcome, to response: inout Response) {
        let resetSeconds = (outcome.resetNanoseconds + 999_999_999) / 1_000_000_000
        response.headers.set("RateLimit-Limit", String(limiter.limit.quota))
        response.headers.set("RateLimit-Remaining", String(outcome.remaining))
        response.headers.set("RateLimit-Reset", String(resetSeconds))
    }
}
