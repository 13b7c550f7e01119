/// The result of a request sent to a picked instance, which the caller
/// reports to `LoadBalancer.report(_:for:)` and `OutlierDetector.record(_:for:)`.
public enum PickOutcome: Sendable, Hashable {
    /// The instance responded as expected, after `latency`.
    case success(latency: Duration)
    /// The request failed at the instance or on the way to it (connection
    /// error, timeout, a 5xx status), after `latency`. For a timeout, report
    /// the time waited.
    case failure(latency: Duration)
    /// The request was not sent, or the caller cancelled it before a
    /// response. It releases the outstanding count without a latency sample
    /// and does not count as a failure.
    case cancelled

    /// The latency of a success or failure; nil for `cancelled`.
    public var latency: Duration? {
        switch self {
        case .success(let latency), .failure(let latency): latency
        case .cancelled: nil
        }
    }
}
