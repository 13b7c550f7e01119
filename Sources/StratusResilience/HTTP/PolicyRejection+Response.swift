public import StratusHTTP

extension PolicyRejection {
    /// The status a server responds with: 429 Too Many Requests for a rate
    /// limit, 503 Service Unavailable for every other reason.
    public var status: HTTPStatus {
        reason == .rateLimited ? .tooManyRequests : .serviceUnavailable
    }

    /// The response that reports this rejection to a client: `status`,
    /// `Retry-After` in whole seconds (see `retryAfterSeconds`) and a JSON
    /// body with the stable `reason` code, a message and the same seconds:
    ///
    /// ```json
    /// {"reason":"rate_limited","message":"too many requests","retry_after_seconds":2}
    /// ```
    public var response: Response {
        let seconds = retryAfterSeconds
        // The message and the reason are fixed ASCII without quotes or
        // backslashes, so they need no JSON escaping.
        let body = "{\"reason\":\"\(reason.rawValue)\",\"message\":\"\(message)\",\"retry_after_seconds\":\(seconds)}\n"
        return Response(
            status: status,
            headers: ["Content-Type": "application/json", "Retry-After": String(seconds)],
            body: OutgoingBody(string: body)
        )
    }

    private var message: String {
        switch reason {
        case .rateLimited: "too many requests"
        case .concurrencyLimited: "the service is at its concurrency limit"
        case .circuitOpen: "the circuit breaker is open"
        case .throttled: "the request was throttled"
        case .overloaded: "the service is overloaded"
        }
    }
}
