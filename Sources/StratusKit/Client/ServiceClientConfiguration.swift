public import StratusDiscovery
public import StratusResilience
public import StratusTelemetry

/// Settings of a `ServiceClient`.
public struct ServiceClientConfiguration: Sendable {
    /// The load-balancing algorithm. Default `least-loaded`.
    public var loadBalancing: LoadBalancingPolicy = .default
    /// The maximum wait for one attempt's response head. Default 2 s.
    public var perTryTimeout: Duration = .seconds(2)
    /// The maximum time for a whole call, retries and backoff included.
    /// A shorter `Deadline.current` takes precedence. Default 10 s.
    public var totalTimeout: Duration = .seconds(10)
    public var retry = ServiceRetryPolicy()
    /// The share of calls that may be retried; the client keeps one budget.
    public var retryBudget = RetryBudget.Configuration()
    /// The breaker settings of each instance. Default: open after 5
    /// failures in a row, for 10 s.
    public var circuitBreaker = CircuitBreakerState.Configuration()
    /// The largest response body the client reads, in bytes. Default 16 MiB.
    public var maxResponseBodySize = 16 << 20
    /// The tracer of the per-attempt CLIENT spans; nil uses the one given to
    /// `InstrumentationSystem.bootstrap(_:)`.
    public var tracer: (any Tracer)?

    public init() {}
}

/// The retry rules of a `ServiceClient`: which failed attempts it retries,
/// and how often.
///
/// An attempt is retried on another instance when there are attempts left,
/// the retry budget admits it, the backoff fits in the deadline, and:
/// - the connection could not be opened (refused, timed out, pool
///   exhausted), whatever the method, because the request never left, or
/// - the request allows a repeat (`ServiceRequest.allowsRepeat`) and the
///   attempt timed out, the connection closed before a response, the
///   response was invalid, or the status is in `retryableStatuses`.
public struct ServiceRetryPolicy: Sendable, Hashable {
    /// Attempts per call, the first included; at least 1. Default 3.
    public var maxAttempts: Int
    /// Statuses retried for requests that allow a repeat. Default 502, 503, 504.
    public var retryableStatuses: Set<Int>
    /// The delay before each retry. Default: a 25 ms ceiling doubling to 1 s.
    public var backoff: ExponentialBackoff

    public init(maxAttempts: Int = 3, retryableStatuses: Set<Int> = [502, 503, 504], backoff: ExponentialBackoff = ExponentialBackoff()) {
        precondition(maxAttempts >= 1, "invalid maxAttempts \(maxAttempts): expected at least 1")
        self.maxAttempts = maxAttempts
        self.retryableStatuses = retryableStatuses
        self.backoff = backoff
    }
}
