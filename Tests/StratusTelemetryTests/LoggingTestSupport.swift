import Foundation
import StratusLog
import StratusNet
@testable import StratusTelemetry
import Synchronization

/// Collects the chunks a `BufferedLogOutput` writes, in memory.
final class CapturedLogOutput: Sendable {
    private let chunks = Mutex<[[UInt8]]>([])

    /// Returns an output without a timer that, with the default threshold of
    /// one byte, writes every line at once.
    func makeOutput(flushThreshold: Int = 1) -> BufferedLogOutput {
        BufferedLogOutput(flushThreshold: flushThreshold, flushInterval: nil) { chunk in
            self.chunks.withLock { $0.append(chunk) }
        }
    }

    var chunkCount: Int {
        chunks.withLock { $0.count }
    }

    /// Everything written so far, split into lines without their newlines.
    var lines: [String] {
        let text = chunks.withLock { chunks in String(decoding: chunks.joined(), as: UTF8.self) }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Parses each line as a JSON object.
    func jsonObjects() throws -> [[String: Any]] {
        try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let dictionary = object as? [String: Any] else {
                throw ParseFailure(line: line)
            }
            return dictionary
        }
    }

    struct ParseFailure: Error {
        let line: String
    }
}

/// A monotonic clock in nanoseconds that tests advance by hand.
final class LogTestClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    func now() -> UInt64 {
        nanoseconds.load(ordering: .relaxed)
    }

    func advance(by duration: Duration) {
        nanoseconds.add(duration.nanoseconds, ordering: .relaxed)
    }
}

/// Returns a logger that writes JSON lines to `output`.
func makeJSONLogger(
    label: String = "test",
    output: BufferedLogOutput,
    burstLimiter: LogBurstLimiter? = nil
) -> Logger {
    Logger(label: label) { JSONLogHandler(label: $0, output: output, burstLimiter: burstLimiter) }
}
