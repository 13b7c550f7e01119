import Synchronization

/// A closure the registry runs at every scrape to add samples.
public typealias MetricsCollector = @Sendable (inout MetricsCollection) throws -> Void

/// Callback series of one name, registered with `makeCounter(label:...:value:)`
/// or `makeGauge(label:...:value:)`.
struct CallbackFamily: Sendable {
    var help: String
    var type: MetricType
    var series: [MetricLabels: @Sendable () -> Double] = [:]
}

extension MetricsRegistry {
    /// Registers `collector` to run at every scrape, on the task that renders
    /// the exposition, after the registry's lock is released.
    ///
    /// A collector that throws adds nothing to that scrape. A collected family
    /// whose name a registered metric or an earlier collector already exposes
    /// is left out. Either failure adds 1 to
    /// `stratus_metrics_collector_failures_total`, which the exposition shows
    /// once it is above zero. Collectors cannot be removed.
    public func registerCollector(_ collector: @escaping MetricsCollector) {
        state.withLock { $0.collectors.append(collector) }
    }

    /// Registers a counter series whose value `value` returns at scrape time.
    /// The name gets a `_total` suffix when it lacks one. Registering the same
    /// name and dimensions again replaces the closure.
    ///
    /// - Parameter value: runs at every scrape, so it must be cheap and must
    ///   not call back into this registry's `exposition()`. It should never
    ///   return less than it returned before, since the series is a counter.
    /// - Throws: `MetricsError` for an invalid metric or label name, or a name
    ///   another metric already exposes.
    public func makeCounter(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        value: @escaping @Sendable () -> Double
    ) throws(MetricsError) {
        try registerCallback(label: label, type: .counter, dimensions: dimensions, help: help, value: value)
    }

    /// Registers a gauge series whose value `value` returns at scrape time.
    /// Registering the same name and dimensions again replaces the closure.
    ///
    /// - Throws: as `makeCounter(label:dimensions:help:value:)` does.
    public func makeGauge(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        value: @escaping @Sendable () -> Double
    ) throws(MetricsError) {
        try registerCallback(label: label, type: .gauge, dimensions: dimensions, help: help, value: value)
    }

    private func registerCallback(
        label: String,
        type: MetricType,
        dimensions: [(String, String)],
        help: String,
        value: @escaping @Sendable () -> Double
    ) throws(MetricsError) {
        try MetricNames.validateMetricName(label)
        let name = type.familyName(for: label)
        let labels = try MetricLabels(dimensions, metric: name)
        try state.withLock { state throws(MetricsError) in
            if let registered = state.families[name] {
                throw MetricsError(
                    .nameConflict,
                    "metric \"\(name)\" is already registered as a \(registered.type) with stored values; a callback metric needs another name"
                )
            }
            if let existing = state.callbackFamilies[name], existing.type != type {
                throw MetricsError(
                    .nameConflict,
                    "callback metric \"\(name)\" is already registered as a \(existing.type); it cannot also be a \(type). Use another name"
                )
            }
            try Self.claimSampleNames(type.sampleNames(family: name), for: name, type: type, in: &state)
            state.callbackFamilies[name, default: CallbackFamily(help: help, type: type)].series[labels] = value
        }
    }
}
