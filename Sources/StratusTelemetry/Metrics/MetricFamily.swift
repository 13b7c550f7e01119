import Synchronization

/// The series of one metric name: its type, help text, buckets, and the
/// storage of each label set, up to the label-set limit.
///
/// Thread safety: the immutable properties are set in `init`; `series` is
/// guarded by its mutex, which is taken only to find or add a series and to
/// scrape, never to update a value.
final class MetricFamily: Sendable {
    enum Storage: Sendable {
        case counter(CounterStorage)
        case gauge(GaugeStorage)
        case histogram(HistogramStorage)
    }

    /// What `series(for:)` returns: the shared storage, or a storage the
    /// family does not keep because it is at its label-set limit.
    enum Lookup {
        case stored(Storage)
        case dropped(Storage)
    }

    // MARK: Immutable

    let name: String
    let help: String
    let type: MetricType
    /// Bucket bounds, for histograms only.
    let buckets: HistogramBuckets?
    let maxLabelSets: Int

    // MARK: Guarded by the mutex

    private let series = Mutex<[MetricLabels: Storage]>([:])

    init(name: String, help: String, type: MetricType, buckets: HistogramBuckets?, maxLabelSets: Int) {
        self.name = name
        self.help = help
        self.type = type
        self.buckets = buckets
        self.maxLabelSets = maxLabelSets
    }

    /// Returns the storage of `labels`, adding it when the family has fewer
    /// than `maxLabelSets` series.
    func series(for labels: MetricLabels) -> Lookup {
        series.withLock { series in
            if let existing = series[labels] {
                return .stored(existing)
            }
            let storage = makeStorage()
            guard series.count < maxLabelSets else {
                return .dropped(storage)
            }
            series[labels] = storage
            return .stored(storage)
        }
    }

    private func makeStorage() -> Storage {
        switch type {
        case .counter: .counter(CounterStorage())
        case .gauge: .gauge(GaugeStorage())
        case .histogram: .histogram(HistogramStorage(upperBounds: buckets?.upperBounds ?? []))
        }
    }

    /// Reads every series. The values are read one by one, not as one atomic
    /// snapshot, so updates racing with the scrape may show in some series only.
    func snapshot() -> FamilySnapshot {
        let stored = series.withLock { Array($0) }
        let snapshots = stored.map { labels, storage in
            SeriesSnapshot(labels: labels, value: Self.read(storage))
        }
        return FamilySnapshot(name: name, help: help, type: type, series: snapshots)
    }

    private static func read(_ storage: Storage) -> SeriesSnapshot.Value {
        switch storage {
        case .counter(let counter):
            .number(Double(counter.value.load(ordering: .relaxed)))
        case .gauge(let gauge):
            .number(gauge.bits.loadDouble())
        case .histogram(let histogram):
            .histogram(
                upperBounds: histogram.upperBounds,
                cumulativeCounts: histogram.cumulativeCounts(),
                sum: histogram.sum
            )
        }
    }
}
