/// The values of one metric family at scrape time, ready for exposition.
struct FamilySnapshot: Sendable {
    var name: String
    var help: String
    var type: MetricType
    var series: [SeriesSnapshot]
}

/// The values of one series at scrape time.
struct SeriesSnapshot: Sendable {
    enum Value: Sendable {
        case number(Double)
        /// Cumulative counts per bound in `upperBounds`, then the `+Inf` count.
        case histogram(upperBounds: [Double], cumulativeCounts: [UInt64], sum: Double)
    }

    var labels: MetricLabels
    var value: Value
}
