import Synchronization

/// The metrics of a process: counters, gauges and histograms by name and label
/// set, callback metrics and collectors, and their Prometheus exposition.
///
/// Making a metric twice with the same name and dimensions returns a handle to
/// the same storage, so code may make handles wherever it needs them. Making
/// one finds or adds the series under a lock, though; on a hot path, make the
/// handle once and keep it. Updating a handle is a few atomic operations.
///
/// Errors: the `make...` methods throw `MetricsError` for an invalid metric or
/// label name, or a name registered with another type or other buckets. The
/// swift-metrics-shaped initializers (`Counter(label:dimensions:)`) stop the
/// process with the same message instead, since a bad name is a programmer
/// error that every run would hit.
///
/// Cardinality: each metric stores at most `maxLabelSetsPerMetric` label
/// sets. A handle for a further label set works but is not stored or exposed,
/// and each such request adds 1 to `stratus_metrics_dropped_label_sets_total`
/// with the label `metric` set to the metric's name.
///
/// Thread safety: all methods may be called from any thread or task.
public final class MetricsRegistry: Sendable {
    /// The registry of the process, with the process metrics registered.
    public static let shared: MetricsRegistry = {
        let registry = MetricsRegistry()
        registry.registerProcessMetrics()
        return registry
    }()

    /// The name of the counter of label sets rejected at the limit.
    public static let droppedLabelSetsMetric = "stratus_metrics_dropped_label_sets_total"
    /// The name of the counter of collectors that failed during a scrape.
    public static let collectorFailuresMetric = "stratus_metrics_collector_failures_total"

    // MARK: Immutable

    /// The maximum number of label sets one metric stores. Default 1,000.
    public let maxLabelSetsPerMetric: Int

    // MARK: Guarded by the mutex

    struct State {
        var families: [String: MetricFamily] = [:]
        var callbackFamilies: [String: CallbackFamily] = [:]
        /// The metric that owns each exposed sample name (`x_bucket` is
        /// owned by the histogram `x`), for every family and callback family.
        var sampleOwners: [String: String] = [:]
        var collectors: [MetricsCollector] = []
    }

    let state = Mutex(State())

    // MARK: Atomic

    let collectorFailures = Atomic<Int>(0)

    /// - Parameter maxLabelSetsPerMetric: at least 1.
    public init(maxLabelSetsPerMetric: Int = 1_000) {
        precondition(
            maxLabelSetsPerMetric > 0,
            "invalid maxLabelSetsPerMetric \(maxLabelSetsPerMetric): expected at least 1"
        )
        self.maxLabelSetsPerMetric = maxLabelSetsPerMetric
    }

    /// Returns the storage of one series, registering its family on first use.
    func storage(
        label: String,
        dimensions: [(String, String)],
        type: MetricType,
        help: String,
        buckets: HistogramBuckets? = nil,
        unlimited: Bool = false
    ) throws(MetricsError) -> MetricFamily.Storage {
        let family = try family(label: label, type: type, help: help, buckets: buckets, maxLabelSets: unlimited ? Int.max : nil)
        let labels = try MetricLabels(dimensions, metric: family.name, reserved: type == .histogram ? "le" : nil)
        switch family.series(for: labels) {
        case .stored(let storage):
            return storage
        case .dropped(let storage):
            recordDroppedLabelSet(metric: family.name)
            return storage
        }
    }

    /// Returns the family named by `label`, registering it when it is new.
    func family(
        label: String,
        type: MetricType,
        help: String,
        buckets: HistogramBuckets?,
        maxLabelSets: Int? = nil
    ) throws(MetricsError) -> MetricFamily {
        try MetricNames.validateMetricName(label)
        let name = type.familyName(for: label)
        return try state.withLock { state throws(MetricsError) in
            if let existing = state.families[name] {
                try Self.checkCompatible(existing, type: type, buckets: buckets)
                return existing
            }
            if let callback = state.callbackFamilies[name] {
                throw MetricsError(
                    .nameConflict,
                    "metric \"\(name)\" is already registered as a callback \(callback.type); use another name"
                )
            }
            try Self.claimSampleNames(type.sampleNames(family: name), for: name, type: type, in: &state)
            let family = MetricFamily(
                name: name,
                help: help,
                type: type,
                buckets: buckets,
                maxLabelSets: maxLabelSets ?? maxLabelSetsPerMetric
            )
            state.families[name] = family
            return family
        }
    }
}
