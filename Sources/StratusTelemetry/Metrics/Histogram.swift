/// Observations counted into buckets by value, such as response sizes.
/// Exposed as a Prometheus histogram: cumulative `_bucket` series with an `le`
/// label, then `_sum` and `_count`.
///
/// A `Histogram` is a handle to storage in a `MetricsRegistry`: copies, and
/// histograms made again with the same label and dimensions, update one set
/// of buckets. Recording is a binary search over the bounds and two atomic
/// updates, with no lock.
public struct Histogram: Sendable {
    let storage: HistogramStorage

    init(storage: HistogramStorage) {
        self.storage = storage
    }

    /// Finds or registers the histogram `label` with `dimensions` as its labels.
    ///
    /// An invalid name, a name registered with another type or other buckets,
    /// or an `le` dimension stops the process with the `MetricsError` message;
    /// call `MetricsRegistry.makeHistogram` to handle the error instead.
    public init(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        buckets: HistogramBuckets = .durationSeconds,
        registry: MetricsRegistry = .shared
    ) {
        do {
            self = try registry.makeHistogram(label: label, dimensions: dimensions, help: help, buckets: buckets)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    @inline(__always)
    public func record(_ value: Double) {
        storage.observe(value)
    }

    public func record(_ value: Int64) {
        storage.observe(Double(value))
    }

    /// The number of observations.
    public var count: UInt64 {
        storage.cumulativeCounts().last ?? 0
    }

    /// The sum of the observations.
    public var sum: Double {
        storage.sum
    }
}

/// A histogram, under the name swift-metrics gives its aggregating recorder.
public typealias Recorder = Histogram
