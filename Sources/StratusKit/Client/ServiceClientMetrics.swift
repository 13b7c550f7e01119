import StratusHTTP
import StratusTelemetry
import Synchronization

/// The metrics of one `ServiceClient`, all labelled with `service`:
///
/// - `stratus_service_client_requests_total{service, method, status_class}`:
///   calls, not attempts; `status_class` is `2xx` to `5xx` for the final
///   response, or `error` when the call threw.
/// - `stratus_service_client_request_duration_seconds{service, method, status_class}`:
///   a histogram of call durations, retries and backoff included.
/// - `stratus_service_client_retries_total{service}`: retries sent.
/// - `stratus_service_client_retry_budget_exhausted_total{service}`: retries
///   the retry budget rejected.
/// - `stratus_service_client_breaker_rejections_total{service}`: picks an
///   instance's open circuit breaker turned away.
/// - `stratus_service_client_breaker_opened_total{service}`: times an
///   instance's breaker opened.
///
/// `method` is the method for RFC 9110's methods and PATCH, else `_OTHER`,
/// as in the HTTP client and server metrics.
final class ServiceClientMetrics: Sendable {
    private struct Key: Hashable {
        var method: String
        var statusClass: String
    }

    private struct CallHandles: Sendable {
        var requests: Counter
        var duration: Timer
    }

    let retries: Counter
    let budgetExhausted: Counter
    let breakerRejections: Counter
    let breakerOpened: Counter
    private let service: String
    private let registry: MetricsRegistry
    /// At most 10 methods × 6 status classes, so the cache needs no bound.
    private let calls = Mutex<[Key: CallHandles]>([:])

    init(service: String, registry: MetricsRegistry) {
        self.service = service
        self.registry = registry
        let dimensions = [("service", service)]
        retries = Counter(label: "stratus_service_client_retries_total", dimensions: dimensions, help: "Retries a service client sent.", registry: registry)
        budgetExhausted = Counter(
            label: "stratus_service_client_retry_budget_exhausted_total", dimensions: dimensions,
            help: "Retries a service client's retry budget rejected.", registry: registry
        )
        breakerRejections = Counter(
            label: "stratus_service_client_breaker_rejections_total", dimensions: dimensions,
            help: "Picks of an instance whose open circuit breaker turned the request away.", registry: registry
        )
        breakerOpened = Counter(
            label: "stratus_service_client_breaker_opened_total", dimensions: dimensions,
            help: "Times the circuit breaker of an instance opened.", registry: registry
        )
    }

    /// Counts a call that ended with `status` (nil when it threw) after
    /// `nanoseconds`.
    func recordCall(method: HTTPMethod, status: Int?, nanoseconds: UInt64) {
        let key = Key(method: HTTPMetricsLabels.method(method), statusClass: status.map { "\($0 / 100)xx" } ?? "error")
        let handles = calls.withLock { calls in
            if let cached = calls[key] { return cached }
            let made = makeHandles(key)
            calls[key] = made
            return made
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    private func makeHandles(_ key: Key) -> CallHandles {
        let dimensions = [("service", service), ("method", key.method), ("status_class", key.statusClass)]
        return CallHandles(
            requests: Counter(
                label: "stratus_service_client_requests_total", dimensions: dimensions,
                help: "Calls of a service client, by method and class of the final status (error when the call threw).", registry: registry
            ),
            duration: Timer(
                label: "stratus_service_client_request_duration_seconds", dimensions: dimensions,
                help: "Duration of service client calls, retries and backoff included.", registry: registry
            )
        )
    }
}
