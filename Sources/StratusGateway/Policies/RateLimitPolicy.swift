import StratusHTTP
import StratusResilience

/// A route's rate limit: a token bucket or sliding window per key.
struct RateLimitPolicy: RouterMiddleware {
    let limiter: KeyedRateLimiter
    let configuration: RateLimitConfiguration
    let forwarding: ForwardingHeaders
    let record: @Sendable (String) -> Void

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        switch limiter.acquire(key: key(of: request, context: context)) {
        case .admitted:
            record("admitted")
        case .rejected(let retryAfter):
            if configuration.dryRun {
                record("would_reject")
            } else {
                record("rejected")
                return PolicyRejection(reason: .rateLimited, retryAfter: retryAfter).response
            }
        }
        return try await next(request, context)
    }

    private func key(of request: Request, context: RequestContext) -> String {
        switch configuration.key {
        case .route:
            ""
        case .clientIP:
            forwarding.clientAddress(peer: ForwardingHeaders.host(ofPeer: context.remoteAddress ?? ""), headers: request.headers)
        case .consumer:
            GatewayRequestState.current?.consumer ?? ""
        case .header:
            request.headers[configuration.header ?? ""] ?? ""
        }
    }

    static func makeLimiter(_ configuration: RateLimitConfiguration) -> KeyedRateLimiter {
        let limit: RateLimit = switch configuration.algorithm {
        case .tokenBucket: .tokenBucket(rate: configuration.rate, burst: configuration.burst)
        case .slidingWindow: .slidingWindow(limit: configuration.limit, window: configuration.window)
        }
        return KeyedRateLimiter(limit, maxKeys: configuration.maxKeys, mode: .enforce)
    }
}

/// has been sent.
struct ConcurrencyPolicy: RouterMiddleware {
    let limiter: ConcurrencyLimiter
    let dryRun: Bool
    let record: @Sendable (String) -> Void

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        switch limiter.acquire() {
        case .admitted:
            record("admitted")
        case .rejected(let retryAfter):
            // A rejected acquire took no slot, so a dry run proceeds without one.
            if !dryRun {
                record("rejected")
                return PolicyRejection(reason: .concurrencyLimited, retryAfter: max(retryAfter, .seconds(1))).response
            }
            record("would_reject")
            return try await next(request, context)
        }
        let limiter = self.limiter
        let permit = PolicyPermit { limiter.release() }
        do {
            return permit.endAfter(try await next(request, context))
        } catch {
            permit.end()
            throw error
        }
    }
}

/// the same limit on bodies without `Content-Length` while streaming.
struct BodyLimitPolicy: RouterMiddleware {
    let configuration: BodyLimitConfiguration
    let record: @Sendable (String) -> Void

    func handle(_ request: Request, context: RequestContext, next: (Request, RequestContext) async throws -> Response) async throws -> Response {
        if let declared = request.headers["Content-Length"].flatMap(Int64.init), declared > configuration.maxBytes {
            if !configuration.dryRun {
                record("rejected")
                return GatewayErrorResponse.make(.contentTooLarge, reason: "body_too_large", message: "the request body of \(declared) bytes is larger than the route's limit of \(configuration.maxBytes) bytes")
            }
            record("would_reject")
        } else {
            record("admitted")
        }
        return try await next(request, context)
    }
}
