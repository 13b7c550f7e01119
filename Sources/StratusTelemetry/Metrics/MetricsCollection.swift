/// The samples a collector adds during one scrape.
///
/// A collector is a closure the registry runs at every scrape, for values that
/// live elsewhere and are cheaper to read than to mirror: process statistics,
/// queue lengths, counts kept by another component.
///
/// ```swift
/// registry.registerCollector { collection in
///     try collection.counter("stratus_tracing_spans_dropped_total",
///                            help: "Spans dropped because the export queue was full.",
///                            value: Double(exporter.droppedSpanCount))
/// }
/// ```
public struct MetricsCollection: Sendable {
    private(set) var families: [String: CollectedFamily] = [:]

    struct CollectedFamily: Sendable {
        var help: String
        var type: MetricType
        var values: [MetricLabels: Double] = [:]
    }

    init() {}

    /// Adds a counter sample. The name gets a `_total` suffix when it lacks one.
    ///
    /// - Throws: `MetricsError` for an invalid metric or label name, or a name
    ///   this collection already used for a gauge.
    public mutating func counter(
        _ label: String,
        help: String = "",
        dimensions: [(String, String)] = [],
        value: Double
    ) throws(MetricsError) {
        try add(label, type: .counter, help: help, dimensions: dimensions, value: value)
    }

    /// Adds a gauge sample.
    ///
    /// - Throws: `MetricsError` for an invalid metric or label name, or a name
    ///   this collection already used for a counter.
    public mutating func gauge(
        _ label: String,
        help: String = "",
        dimensions: [(String, String)] = [],
        value: Double
    ) throws(MetricsError) {
        try add(label, type: .gauge, help: help, dimensions: dimensions, value: value)
    }

    /// Adds one sample; a second sample with the same labels replaces the first.
    private mutating func add(
        _ label: String,
        type: MetricType,
        help: String,
        dimensions: [(String, String)],
        value: Double
    ) throws(MetricsError) {
        try MetricNames.validateMetricName(label)
        let name = type.familyName(for: label)
        let labels = try MetricLabels(dimensions, metric: name)
        var family = families[name] ?? CollectedFamily(help: help, type: type)
        guard family.type == type else {
            throw MetricsError(
                .nameConflict,
                "collected metric \"\(name)\" is already a \(family.type) in this scrape; it cannot also be a \(type)"
            )
        }
        family.values[labels] = value
        families[name] = family
    }

    /// The collected families as exposition snapshots.
    func snapshots() -> [FamilySnapshot] {
        families.map { name, family in
            FamilySnapshot(
                name: name,
                help: family.help,
                type: family.type,
                series: family.values.map { SeriesSnapshot(labels: $0.key, value: .number($0.value)) }
            )
        }
    }
}
