extension MetricsRegistry {
    /// Finds or registers the counter `label` (exposed with a `_total` suffix)
    /// with `dimensions` as its labels.
    ///
    /// - Parameter help: the `# HELP` text; the first registration of a name sets it.
    /// - Throws: `MetricsError` for an invalid metric or label name, a repeated
    ///   label name, or a name registered with another type.
    public func makeCounter(label: String, dimensions: [(String, String)] = [], help: String = "") throws(MetricsError) -> Counter {
        guard case .counter(let storage) = try storage(label: label, dimensions: dimensions, type: .counter, help: help) else {
            preconditionFailure("counter family \"\(label)\" returned storage of another type")
        }
        return Counter(storage: storage)
    }

    /// Finds or registers the gauge `label` with `dimensions` as its labels.
    ///
    /// - Throws: as `makeCounter` does.
    public func makeGauge(label: String, dimensions: [(String, String)] = [], help: String = "") throws(MetricsError) -> Gauge {
        guard case .gauge(let storage) = try storage(label: label, dimensions: dimensions, type: .gauge, help: help) else {
            preconditionFailure("gauge family \"\(label)\" returned storage of another type")
        }
        return Gauge(storage: storage)
    }

    /// Finds or registers the histogram `label` with `dimensions` as its labels.
    ///
    /// - Throws: as `makeCounter` does, and also for an `le` dimension or a
    ///   histogram of this name registered with other buckets.
    public func makeHistogram(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        buckets: HistogramBuckets = .durationSeconds
    ) throws(MetricsError) -> Histogram {
        Histogram(storage: try histogramStorage(label: label, dimensions: dimensions, help: help, buckets: buckets))
    }

    /// Finds or registers the timer `label`, a histogram of seconds, with
    /// `dimensions` as its labels.
    ///
    /// - Throws: as `makeHistogram` does.
    public func makeTimer(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        buckets: HistogramBuckets = .durationSeconds
    ) throws(MetricsError) -> Timer {
        Timer(storage: try histogramStorage(label: label, dimensions: dimensions, help: help, buckets: buckets))
    }

    private func histogramStorage(
        label: String,
        dimensions: [(String, String)],
        help: String,
        buckets: HistogramBuckets
    ) throws(MetricsError) -> HistogramStorage {
        let found = try storage(label: label, dimensions: dimensions, type: .histogram, help: help, buckets: buckets)
        guard case .histogram(let storage) = found else {
            preconditionFailure("histogram family \"\(label)\" returned storage of another type")
        }
        return storage
    }
}
