/// A validated label set, sorted by label name, that identifies one series of
/// a metric. The order callers pass dimensions in does not matter.
struct MetricLabels: Hashable, Comparable, Sendable {
    struct Pair: Hashable, Sendable {
        var name: String
        var value: String
    }

    private(set) var pairs: [Pair]

    static let empty = MetricLabels(sortedPairs: [])

    private init(sortedPairs: [Pair]) {
        pairs = sortedPairs
    }

    /// Validates each name and sorts the pairs.
    ///
    /// - Parameter reserved: a label name the metric type exposes itself
    ///   (`le` on histograms), rejected here.
    init(_ dimensions: [(String, String)], metric: String, reserved: String? = nil) throws(MetricsError) {
        var pairs: [Pair] = []
        pairs.reserveCapacity(dimensions.count)
        for (name, value) in dimensions {
            try MetricNames.validateLabelName(name, metric: metric)
            if name == reserved {
                throw MetricsError(
                    .invalidLabelName,
                    "invalid label name \"\(name)\" on histogram \"\(metric)\": the exposition sets it to each bucket's upper bound"
                )
            }
            pairs.append(Pair(name: name, value: value))
        }
        pairs.sort { $0.name < $1.name }
        for (earlier, later) in zip(pairs, pairs.dropFirst()) where earlier.name == later.name {
            throw MetricsError(.duplicateLabelName, "duplicate label name \"\(later.name)\" on metric \"\(metric)\"")
        }
        self.init(sortedPairs: pairs)
    }

    static func < (lhs: MetricLabels, rhs: MetricLabels) -> Bool {
        lhs.pairs.lexicographicallyPrecedes(rhs.pairs) { left, right in
            left.name != right.name ? left.name < right.name : left.value < right.value
        }
    }
}
