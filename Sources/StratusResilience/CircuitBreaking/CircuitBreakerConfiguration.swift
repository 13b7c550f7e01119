import StratusNet

extension CircuitBreakerState {
    /// When a closed breaker opens, and how it recovers. At least one of the
    /// two triggers, `consecutiveFailures` or `failureRate`, must be set;
    /// with both, whichever is reached first opens the breaker.
    public struct Configuration: Sendable, Hashable {
        /// Failures in a row that open a closed breaker, at least 1, or nil
        /// to open only by `failureRate`. Default 5.
        public var consecutiveFailures: Int?
        /// The share of failed requests over a rolling window that opens a
        /// closed breaker, or nil to open only by `consecutiveFailures`.
        /// Default nil.
        public var failureRate: FailureRateTrigger?
        /// How long the breaker stays open before probing. A probe that
        /// reports nothing for this long is given up, so its slot opens for
        /// a new probe. Default 10 s.
        public var openDuration: Duration
        /// Probes admitted while half-open, and the successes that close the
        /// breaker; at least 1. Default 1.
        public var probeLimit: Int

        public init(
            consecutiveFailures: Int? = 5,
            failureRate: FailureRateTrigger? = nil,
            openDuration: Duration = .seconds(10),
            probeLimit: Int = 1
        ) {
            if let consecutiveFailures {
                precondition(consecutiveFailures >= 1, "invalid consecutiveFailures \(consecutiveFailures): expected at least 1, or nil")
            }
            precondition(
                consecutiveFailures != nil || failureRate != nil,
                "invalid circuit breaker configuration: set consecutiveFailures, failureRate or both, or the breaker never opens"
            )
            precondition(probeLimit >= 1, "invalid probeLimit \(probeLimit): expected at least 1")
            precondition(openDuration > .zero, "invalid openDuration \(openDuration): expected a positive duration")
            self.consecutiveFailures = consecutiveFailures
            self.failureRate = failureRate
            self.openDuration = openDuration
            self.probeLimit = probeLimit
        }
    }

    /// Opens a closed breaker when, over the last `window`, at least
    /// `minimumRequests` requests ended and the failed share of them reached
    /// `threshold`. The window moves in `buckets` steps, so a failure leaves
    /// it between window − window / buckets and window after it happened.
    public struct FailureRateTrigger: Sendable, Hashable {
        /// The failed share that opens the breaker, in (0, 1]. Default 0.5.
        public var threshold: Double
        /// Requests that must have ended in the window before the rate
        /// counts, so two failures of three requests do not open it; at
        /// least 1. Default 20.
        public var minimumRequests: Int
        /// The rolling window, at least 10 ms. Default 10 s.
        public var window: Duration
        /// Buckets the window is kept in, at least 1. Default 10.
        public var buckets: Int

        public init(threshold: Double = 0.5, minimumRequests: Int = 20, window: Duration = .seconds(10), buckets: Int = 10) {
            precondition(threshold > 0 && threshold <= 1, "invalid failure rate threshold \(threshold): expected a share above 0 and at most 1")
            precondition(minimumRequests >= 1, "invalid failure rate minimumRequests \(minimumRequests): expected at least 1")
            precondition(window.nanoseconds >= 10_000_000, "invalid failure rate window \(window): expected at least 10 ms")
            precondition(buckets >= 1, "invalid failure rate buckets \(buckets): expected at least 1")
            self.threshold = threshold
            self.minimumRequests = minimumRequests
            self.window = window
            self.buckets = buckets
        }
    }

    /// The event that opened the breaker.
    public enum OpeningCause: Sendable, Hashable, CustomStringConvertible {
        /// `count` failures in a row while closed.
        case consecutiveFailures(count: Int)
        /// `failures` of `requests` ended in the failure-rate window.
        case failureRate(failures: Int, requests: Int)
        /// A probe failed while half-open.
        case probeFailed

        public var description: String {
            switch self {
            case .consecutiveFailures(let count):
                "\(count) consecutive failures"
            case .failureRate(let failures, let requests):
                "\(failures) of \(requests) requests failed in the failure-rate window"
            case .probeFailed:
                "a half-open probe failed"
            }
        }
    }
}
