public import Foundation

/// A line of a replica's log file: the time it was read, in UTC with
/// milliseconds, a space, then the line as the replica wrote it.
///
/// ```
/// 2026-12-05T01:02:03.123Z {"level":"info","message":"listening"}
/// ```
public struct LogLine: Sendable, Hashable {
    public var time: Date
    public var text: String

    public init(time: Date, text: String) {
        self.time = time
        self.text = text
    }

    /// Parses a line of a log file; nil when it does not start with a time.
    public init?(parsing line: Substring) {
        guard let space = line.firstIndex(of: " "), let time = Self.parse(line[..<space]) else { return nil }
        self.init(time: time, text: String(line[line.index(after: space)...]))
    }

    /// The line as the log file stores it, without the newline.
    public var formatted: String {
        Self.format(time) + " " + text
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }

    static func parse(_ text: Substring) -> Date? {
        try? Date(String(text), strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}
