import Synchronization

/// A value that only goes up, such as the number of requests served. Exposed
/// as a Prometheus counter whose name ends in `_total`; the suffix is added
/// when the label lacks it, so `requests` and `requests_total` are one metric.
///
/// A `Counter` is a handle to storage in a `MetricsRegistry`: copies, and
/// counters made again with the same label and dimensions, update one value.
/// Updates are atomic and take no lock.
public struct Counter: Sendable {
    let storage: CounterStorage

    init(storage: CounterStorage) {
        self.storage = storage
    }

    /// Finds or registers the counter `label` with `dimensions` as its labels.
    ///
    /// An invalid name or a name registered with another type stops the
    /// process with the `MetricsError` message; call
    /// `MetricsRegistry.makeCounter` to handle the error instead.
    public init(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        registry: MetricsRegistry = .shared
    ) {
        do {
            self = try registry.makeCounter(label: label, dimensions: dimensions, help: help)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// Adds `amount`. A negative amount is a programmer error: debug builds
    /// stop on it, release builds ignore it, because a counter never goes down.
    @inline(__always)
    public func increment(by amount: Int64 = 1) {
        assert(amount >= 0, "negative counter increment \(amount): use a Gauge for values that go down")
        guard amount > 0 else { return }
        storage.increment(by: amount)
    }

    /// Sets the value back to zero. Prometheus treats the drop as a counter
    /// reset, as after a restart.
    public func reset() {
        storage.value.store(0, ordering: .relaxed)
    }

    /// The current value.
    public var value: Int64 {
        storage.value.load(ordering: .relaxed)
    }
}
