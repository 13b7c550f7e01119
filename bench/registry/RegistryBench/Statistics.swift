import Foundation

/// Summary statistics of latency samples, in milliseconds.
struct LatencySummary {
    let count: Int
    let p50: Double
    let p99: Double
    let max: Double

    /// Summarizes `samples` with nearest-rank percentiles: the p-th
    /// percentile is the smallest sample that at least p % of the samples
    /// do not exceed. With fewer than 100 samples p99 is therefore the maximum.
    init(_ samples: [Duration]) {
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
    func fields(_ prefix: String) -> [String: Any] {
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

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Polls `condition` every few milliseconds until it returns a value, and
/// fails naming `what` after `timeout`. Used only to wait, never to take a
/// measured timestamp, so the polling interval adds nothing to a result.
@discardableResult
func poll<Value>(_ what: String, timeout: Duration, _ condition: () throws -> Value?) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try condition() {
            return value
        }
        guard ContinuousClock.now < deadline else {
            throw BenchError("timed out after \(timeout) waiting for \(what)")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Reads VmRSS of process `pid` from /proc/PID/status, in KiB.
func residentSetKiB(pid: Int) throws -> Int {
    let path = "/proc/\(pid)/status"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw BenchError("cannot read \(path): is process \(pid) running?")
    }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 2, let kib = Int(fields[1]) {
            return kib
        }
    }
    throw BenchError("missing VmRSS line in \(path)")
}
