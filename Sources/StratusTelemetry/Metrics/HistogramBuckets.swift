/// The upper bounds of a histogram's buckets, strictly increasing and finite.
/// The exposition adds the `+Inf` bucket itself.
public struct HistogramBuckets: Sendable, Hashable, CustomStringConvertible {
    public let upperBounds: [Double]

    /// Bounds for request durations in seconds, from 5 ms to 10 s: the
    /// defaults of the Prometheus client libraries.
    public static let durationSeconds = HistogramBuckets(
        checked: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    )

    /// - Throws: `MetricsError` with code `invalidBuckets` when a bound is
    ///   NaN or infinite, or the bounds are not strictly increasing.
    public init(_ upperBounds: [Double]) throws(MetricsError) {
        for bound in upperBounds where !bound.isFinite {
            throw MetricsError(
                .invalidBuckets,
                "invalid bucket bound \(bound) in \(upperBounds): bounds must be finite, and the +Inf bucket is added automatically"
            )
        }
        for (lower, upper) in zip(upperBounds, upperBounds.dropFirst()) where lower >= upper {
            throw MetricsError(
                .invalidBuckets,
                "invalid bucket bounds \(upperBounds): \(upper) follows \(lower); bounds must be strictly increasing"
            )
        }
        self.upperBounds = upperBounds
    }

    private init(checked upperBounds: [Double]) {
        self.upperBounds = upperBounds
    }

    /// `count` bounds starting at `start`, each `factor` times the previous.
    public static func exponential(start: Double, factor: Double, count: Int) throws(MetricsError) -> HistogramBuckets {
        guard start > 0, factor > 1, count > 0 else {
            throw MetricsError(
                .invalidBuckets,
                "invalid exponential buckets (start \(start), factor \(factor), count \(count)): expected start > 0, factor > 1, count > 0"
            )
        }
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return try HistogramBuckets(bounds)
    }

    /// `count` bounds starting at `start`, `width` apart.
    public static func linear(start: Double, width: Double, count: Int) throws(MetricsError) -> HistogramBuckets {
        guard width > 0, count > 0 else {
            throw MetricsError(
                .invalidBuckets,
                "invalid linear buckets (start \(start), width \(width), count \(count)): expected width > 0, count > 0"
            )
        }
        return try HistogramBuckets((0..<count).map { start + Double($0) * width })
    }

    public var description: String { "\(upperBounds)" }
}
