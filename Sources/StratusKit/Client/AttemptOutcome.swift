import StratusDiscovery
import StratusHTTP

/// The end of one attempt, classified for the retry loop.
enum AttemptOutcome: Sendable {
    /// A response to return: its status is not retried.
    case response(ServiceResponse)
    /// A response whose status is retryable for requests that allow a repeat.
    case retryableResponse(ServiceResponse, reason: String)
    /// The request never left: no connection could be opened. Any method
    /// may be retried.
    case notSent(reason: String)
    /// The request may have reached the instance, but no response came:
    /// only requests that allow a repeat may be retried.
    case noResponse(reason: String, timedOut: Bool)
    /// A failure that no retry can fix.
    case fatal(ServiceClientError)

    /// Classifies an error thrown by the HTTP client.
    static func classify(_ error: HTTPClientError, service: String, endpoint: String) -> AttemptOutcome {
        let reason = "\(endpoint): \(error)"
        switch error.code {
        case .connectFailed, .connectTimeout, .poolExhausted:
            return .notSent(reason: reason)
        case .timedOut:
            return .noResponse(reason: reason, timedOut: true)
        case .connectionClosed, .invalidResponse:
            return .noResponse(reason: reason, timedOut: false)
        case .invalidRequest:
            return .fatal(ServiceClientError(.invalidRequest, service: service, "invalid request to \(service): \(error.message)"))
        case .shutdown:
            return .fatal(ServiceClientError(.shutDown, service: service, "the HTTP client of the \(service) client was shut down"))
        }
    }
}

/// The health of an instance that one attempt shows, for its breaker and
/// the balancer.
enum InstanceVerdict: Sendable, Equatable {
    /// The instance responded with a status below 500.
    case healthy
    /// The instance failed: a 5xx status, no connection or no response.
    case unhealthy(reason: String)
    /// The attempt did not exercise the instance (the request was invalid,
    /// or the client was shut down).
    case notReached

    init(_ outcome: AttemptOutcome) {
        switch outcome {
        case .response(let response), .retryableResponse(let response, _):
            self = response.status.code >= 500 ? .unhealthy(reason: "status \(response.status.code) from \(response.instance.endpoint)") : .healthy
        case .notSent(let reason), .noResponse(let reason, _):
            self = .unhealthy(reason: reason)
        case .fatal:
            self = .notReached
        }
    }
}
