/// A metric that cannot be registered, with a stable code and a message naming
/// the value at fault.
public struct MetricsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
        case invalidMetricName
        /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`, starts with
        /// `__`, or is reserved for the metric type (`le` on histograms).
        case invalidLabelName
        /// The same label name appears twice in one label set.
        case duplicateLabelName
        /// The name is registered with another type, or one of its exposed
        /// series names (`_bucket`, `_sum`, `_count`) belongs to another metric.
        case nameConflict
        /// The histogram is registered with other buckets.
        case bucketConflict
        /// Bucket bounds that are empty, unsorted, repeated or not finite.
        case invalidBuckets
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
