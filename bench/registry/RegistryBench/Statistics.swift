import Foundation
import StratusTestSupport

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
