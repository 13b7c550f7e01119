import StratusHTTP
import StratusNet

/// When and how long an OTLP exporter waits before sending a batch again.
///
/// The OTLP/HTTP specification names 429, 502, 503 and 504 as retryable
/// responses, and tells clients to honor `Retry-After` and otherwise back off
/// exponentially with jitter. Connection failures are retried the same way.
public struct OTLPRetryPolicy: Sendable, Hashable {
    /// Maximum sends of one batch, the first included. Default 5.
    public var maxAttempts = 5
    /// Backoff before the second send, before jitter. Default 1 s.
    public var initialBackoff: Duration = .seconds(1)
    /// Maximum backoff before any send, before jitter. Default 30 s.
    public var maxBackoff: Duration = .seconds(30)
    /// Maximum wait that a `Retry-After` may request; longer requests are cut to it,
    /// so one response cannot stall the export queue. Default 30 s.
    public var maxRetryAfter: Duration = .seconds(30)

    public init() {}

    /// Returns the wait before attempt `attempt + 1`, or nil when `attempt`
    /// was the last one.
    ///
    /// Without `retryAfter`, the wait is "equal jitter": half of
    /// `initialBackoff * 2^(attempt-1)` (capped at `maxBackoff`) plus a
    /// random part up to the other half, so that many exporters that failed
    /// together do not retry together.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        let doublings = min(attempt - 1, 30)
        let backoff = min(initialBackoff * (1 << doublings), maxBackoff)
        let half = backoff / 2
        let jitterNanoseconds = UInt64.random(in: 0...max(half.nanoseconds, 0), using: &generator)
        return half + .nanoseconds(Int64(jitterNanoseconds))
    }

    /// Parses a `Retry-After` value in delta-seconds. An HTTP-date, which
    /// RFC 9110, section 10.2.3 also allows, is not parsed and returns nil,
    /// so the exponential backoff applies.
    public static func parseRetryAfter(_ value: String?) -> Duration? {
        guard let value, let seconds = Int(value.trimmingASCIISpaces()), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }
}
