import Synchronization

extension MetricsRegistry {
    /// Renders every metric in the Prometheus text format, version 0.0.4:
    /// families sorted by name, series by labels, so equal values render to
    /// equal text.
    ///
    /// Runs the callback closures and collectors on the calling task.
    public func exposition() -> String {
        PrometheusExposition.render(snapshot())
    }

    /// Reads the registered metrics, callback metrics and collectors, sorted.
    func snapshot() -> [FamilySnapshot] {
        let (families, callbacks, collectors) = state.withLock { state in
            (Array(state.families.values), state.callbackFamilies, state.collectors)
        }
        var snapshots = families.map { $0.snapshot() }
        for (name, family) in callbacks {
            let series = family.series.map { SeriesSnapshot(labels: $0.key, value: .number($0.value())) }
            snapshots.append(FamilySnapshot(name: name, help: family.help, type: family.type, series: series))
        }
        snapshots += collect(collectors, excluding: Set(snapshots.flatMap { $0.type.sampleNames(family: $0.name) }))
        let failures = collectorFailures.load(ordering: .relaxed)
        if failures > 0 {
            snapshots.append(collectorFailuresSnapshot(failures))
        }
        for index in snapshots.indices {
            snapshots[index].series.sort { $0.labels < $1.labels }
        }
        return snapshots.sorted { $0.name < $1.name }
    }

    /// Runs the collectors, leaving out families whose sample names are taken.
    private func collect(_ collectors: [MetricsCollector], excluding taken: Set<String>) -> [FamilySnapshot] {
        var taken = taken
        var collected: [FamilySnapshot] = []
        for collector in collectors {
            var collection = MetricsCollection()
            do {
                try collector(&collection)
            } catch {
                collectorFailures.add(1, ordering: .relaxed)
                continue
            }
            for family in collection.snapshots() {
                let names = family.type.sampleNames(family: family.name)
                guard taken.isDisjoint(with: names) else {
                    collectorFailures.add(1, ordering: .relaxed)
                    continue
                }
                taken.formUnion(names)
                collected.append(family)
            }
        }
        return collected
    }

    private func collectorFailuresSnapshot(_ failures: Int) -> FamilySnapshot {
        FamilySnapshot(
            name: Self.collectorFailuresMetric,
            help: "Collector runs that threw, or collected a metric name another metric already exposes.",
            type: .counter,
            series: [SeriesSnapshot(labels: .empty, value: .number(Double(failures)))]
        )
    }
}
