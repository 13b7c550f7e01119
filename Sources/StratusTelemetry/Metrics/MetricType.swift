/// The metric types of the Prometheus text format, version 0.0.4.
public enum MetricType: String, Sendable, Hashable {
    case counter
    case gauge
    case histogram

    /// The names a family of this type exposes samples under, so two families
    /// cannot write the same series name.
    func sampleNames(family name: String) -> [String] {
        switch self {
        case .counter, .gauge:
            [name]
        case .histogram:
            [name, name + "_bucket", name + "_sum", name + "_count"]
        }
    }

    /// The name a family of this type is exposed under: counters end in
    /// `_total`, as Prometheus's naming conventions ask, and the suffix is
    /// added when `label` lacks it.
    func familyName(for label: String) -> String {
        guard self == .counter, !label.hasSuffix("_total") else {
            return label
        }
        return label + "_total"
    }
}
