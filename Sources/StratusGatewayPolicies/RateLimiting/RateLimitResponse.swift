import StratusHTTP

/// The 429 Too Many Requests response of the `rateLimit` policy.
///
/// It has the shape of the resilience rate-limit middleware's rejections,
/// so a client sees one format whichever limit it hit: `Retry-After` in
/// whole seconds (rounded up, at least 1) and
/// `{"reason":"rate_limited","message":"too many requests","retry_after_seconds":N}`.
enum RateLimitResponse {
    static func make(retryAfter: Duration) -> Response {
        let (seconds, attoseconds) = retryAfter.components
        let rounded = max(1, attoseconds > 0 ? seconds + 1 : seconds)
        let body = "{\"reason\":\"rate_limited\",\"message\":\"too many requests\",\"retry_after_seconds\":\(rounded)}\n"
        return Response(
            status: .tooManyRequests,
            headers: ["Content-Type": "application/json", "Retry-After": String(rounded)],
            body: OutgoingBody(string: body)
        )
    }
}
