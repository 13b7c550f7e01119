/// Summary statistics of latency samples, in milliseconds.
package struct LatencySummary {
    package let count: Int
    package let p50: Double
    package let p99: Double
    package let max: Double

    /// Summarizes `samples` with nearest-rank percentiles: the p-th
    /// percentile is the smallest sample that at least p % of the samples
    /// do not exceed. With fewer than 100 samples p99 is therefore the maximum.
    package init(_ samples: [Duration]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ percent: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
            return milliseconds(sorted[Swift.max(0, index)])
        }
        p50 = rank(50)
        p99 = rank(99)
        max = rank(100)
    }

    /// Returns the summary as JSON fields named `prefix_p50_ms` and so on,
    /// rounded to microseconds.
    package func fields(_ prefix: String) -> [String: Any] {
        [
            prefix + "_count": count,
            prefix + "_p50_ms": rounded(p50),
            prefix + "_p99_ms": rounded(p99),
            prefix + "_max_ms": rounded(max),
        ]
    }

    private func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}

package func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}
