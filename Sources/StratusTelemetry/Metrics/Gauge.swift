/// A value that goes up and down, such as the number of requests in flight.
/// Exposed as a Prometheus gauge.
///
/// A `Gauge` is a handle to storage in a `MetricsRegistry`: copies, and gauges
/// made again with the same label and dimensions, update one value. Updates
/// are atomic and take no lock.
public struct Gauge: Sendable {
    let storage: GaugeStorage

    init(storage: GaugeStorage) {
        self.storage = storage
    }

    /// Finds or registers the gauge `label` with `dimensions` as its labels.
    ///
    /// An invalid name or a name registered with another type stops the
    /// process with the `MetricsError` message; call
    /// `MetricsRegistry.makeGauge` to handle the error instead.
    public init(
        label: String,
        dimensions: [(String, String)] = [],
        help: String = "",
        registry: MetricsRegistry = .shared
    ) {
        do {
            self = try registry.makeGauge(label: label, dimensions: dimensions, help: help)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    public func set(_ value: Double) {
        storage.bits.storeDouble(value)
    }

    /// Sets the value, as `set(_:)` does; the name of swift-metrics' gauge.
    public func record(_ value: Double) {
        set(value)
    }

    public func increment(by amount: Double = 1) {
        storage.bits.addDouble(amount)
    }

    public func decrement(by amount: Double = 1) {
        storage.bits.addDouble(-amount)
    }

    /// The current value.
    public var value: Double {
        storage.bits.loadDouble()
    }
}
