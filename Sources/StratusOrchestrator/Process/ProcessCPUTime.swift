import Foundation
import Glibc

/// The CPU time a process has used, from `/proc/<pid>/stat`: user plus
/// system time (fields 14 and 15, utime and stime, in clock ticks; proc(5)).
///
/// Only the process itself is counted, not processes it started.
enum ProcessCPUTime {
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Returns the process's CPU time, nil when it cannot be read (the
    /// process has exited).
    static func read(_ pid: pid_t) -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Parses a stat line. The command name in field 2 may contain spaces
    /// and parentheses, so fields are counted from the last ")".
    static func parse(_ text: String) -> Duration? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) and stime (15) are 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return .milliseconds(Int64(((user + system) / ticksPerSecond * 1000).rounded()))
    }
}
