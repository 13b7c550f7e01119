/// Durations, exposed as a Prometheus histogram in seconds. Name it with the
/// `_seconds` suffix, as Prometheus's naming conventions ask
/// (`job_duration_seconds`).
///
/// A `Timer` is a handle to storage in a `MetricsRegistry`, like `Histogram`.
/// With `Foundation` imported too, write `StratusTelemetry.Timer`.
public struct Timer: Sendable {
    let storage: HistogramStorage

    init(storage: HistogramStorage) {
        self.storage = storage
    }

    /// Finds or registers the timer `label` with `dimensions` as its labels.
    ///
    /// An invalid name, a name registered with another type or other buckets,
    /// or an `le` dimension stops the process with the `MetricsError` message;
    /// call `MetricsRegistry.makeTimer` to handle the error instead.
    public init(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        buckets: HistogramBuckets = .durationSeconds,
        registry: MetricsRegistry = .shared
    ) {
        do {
            self = try registry.makeTimer(label: label, dimensions: dimensions, help: help, buckets: buckets)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    @inline(__always)
    public func recordNanoseconds(_ duration: Int64) {
        storage.observe(Double(duration) / 1e9)
    }

    public func recordMilliseconds(_ duration: Double) {
        storage.observe(duration / 1e3)
    }

    public func recordSeconds(_ duration: Double) {
        storage.observe(duration)
    }

    public func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        storage.observe(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Runs `body` and records how long it took on the continuous clock, also
    /// when it throws.
    public func measure<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let start = ContinuousClock.now
        defer { record(ContinuousClock.now - start) }
        return try body()
    }

    /// Runs `body` and records how long it took on the continuous clock, also
    /// when it throws. The time includes any time `body` spends suspended.
    public func measure<Result, Failure: Error>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let start = ContinuousClock.now
        defer { record(ContinuousClock.now - start) }
        return try await body()
    }

    /// The number of recorded durations.
    public var count: UInt64 {
        storage.cumulativeCounts().last ?? 0
    }

    /// The sum of the recorded durations in seconds.
    public var sumSeconds: Double {
        storage.sum
    }
}
