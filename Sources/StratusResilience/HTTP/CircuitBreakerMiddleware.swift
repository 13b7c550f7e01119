public import StratusHTTP

/// A circuit breaker around server routes: while it is open, requests get
/// 503 Service Unavailable, `Retry-After` (the time until it probes, at
/// least 1 s) and a JSON body whose `reason` is `circuit_open`, without
/// running the handler.
///
/// Breakers mostly belong on the client side, around calls to a dependency.
/// On a server this one stops a route that keeps failing, such as one whose
/// database is down, from taking work it cannot finish.
///
/// A response with a 5xx status and any thrown error count as failures,
/// except an `HTTPError` below 500 (a client's mistake, counted as a
/// success) and a cancelled task (counted as neither).
public struct CircuitBreakerMiddleware: RouterMiddleware {
    public let breaker: CircuitBreaker

    public init(breaker: CircuitBreaker) {
        self.breaker = breaker
    }

    public var counters: PolicyCounters { breaker.counters }

    public func handle(
        _ request: Request,
        context: RequestContext,
        next: (Request, RequestContext) async throws -> Response
    ) async throws -> Response {
        if case .rejected(let retryAfter) = breaker.admit() {
            return PolicyRejection(reason: .circuitOpen, retryAfter: retryAfter).response
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status.code < 500 {
            breaker.recordSuccess()
            throw error
        } catch {
            if error is CancellationError || Task.isCancelled {
                breaker.recordCancelled()
            } else {
                breaker.recordFailure(reason: String(describing: error))
            }
            throw error
        }
        if response.status.code >= 500 {
            breaker.recordFailure(reason: "status \(response.status.code)")
        } else {
            breaker.recordSuccess()
        }
        return response
    }
}
