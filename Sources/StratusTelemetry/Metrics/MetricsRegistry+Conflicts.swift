extension MetricsRegistry {
    /// Checks that a family found by name has the requested type and buckets.
    static func checkCompatible(_ family: MetricFamily, type: MetricType, buckets: HistogramBuckets?) throws(MetricsError) {
        guard family.type == type else {
            throw MetricsError(
                .nameConflict,
                "metric \"\(family.name)\" is already registered as a \(family.type); it cannot also be a \(type). Use another name"
            )
        }
        guard family.buckets == buckets else {
            throw MetricsError(
                .bucketConflict,
                "histogram \"\(family.name)\" is already registered with buckets \(family.buckets?.description ?? "[]"), not \(buckets?.description ?? "[]"); use the same buckets or another name"
            )
        }
    }

    /// Records that `names` are exposed by the metric `owner`, failing when
    /// another metric exposes one of them already.
    static func claimSampleNames(_ names: [String], for owner: String, type: MetricType, in state: inout State) throws(MetricsError) {
        for name in names {
            if let other = state.sampleOwners[name], other != owner {
                throw MetricsError(
                    .nameConflict,
                    "\(type) \"\(owner)\" would expose samples named \"\(name)\", which metric \"\(other)\" already exposes; use another name"
                )
            }
        }
        for name in names {
            state.sampleOwners[name] = owner
        }
    }

    /// Adds 1 to the dropped label sets counter of `metric`.
    func recordDroppedLabelSet(metric: String) {
        let counter = try? storage(
            label: Self.droppedLabelSetsMetric,
            dimensions: [("metric", metric)],
            type: .counter,
            help: "Label sets not stored because their metric had reached its limit of distinct label sets.",
            unlimited: true
        )
        if case .counter(let storage) = counter {
            storage.increment(by: 1)
        }
    }
}
