public import StratusLog

/// A handler that writes one readable line per event, for a developer's
/// terminal:
///
/// ```
/// 2026-12-04T20:33:47.123Z INFO     stratus.http: listening endpoint=127.0.0.1:8080 trace_id=4bf9… span_id=00f0…
/// ```
///
/// The line contains the UTC time with milliseconds, the level (colored), the
/// label, the message, the metadata as `key=value` pairs sorted by key, and
/// `trace_id` and `span_id` while a span is active. Values are quoted like
/// `StreamLogHandler` quotes them, and line breaks in the message are escaped,
/// so one event is always one line. With `useColor`, the level is colored
/// with ANSI escape sequences and keys are dimmed.
///
/// Merging, redaction, burst limiting and buffering are the same as in
/// `JSONLogHandler`.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let pipeline: LogPipeline
    private let useColor: Bool

    public init(
        label: String,
        output: BufferedLogOutput = .standardOutput,
        useColor: Bool,
        redactor: Redactor = .standard,
        burstLimiter: LogBurstLimiter? = nil,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        pipeline = LogPipeline(label: label, output: output, redactor: redactor, burstLimiter: burstLimiter)
        self.useColor = useColor
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata callSite: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        let useColor = useColor
        pipeline.write(
            level: level,
            message: message,
            metadata: { mergedMetadata(callSite: callSite) },
            source: source,
            format: { record, write in
                var line = Self.formatLine(record, useColor: useColor)
                line.withUTF8(write)
            }
        )
    }
}

extension ConsoleLogHandler {
    static func formatLine(_ record: LogRecord, useColor: Bool) -> String {
        var line = UTCTimestamp.format(record.timestamp) + " "
        let levelName = record.level.rawValue.uppercased()
        let padding = String(repeating: " ", count: max(0, 8 - levelName.count))
        line += useColor ? ANSI.color(for: record.level) + levelName + ANSI.reset + padding : levelName + padding
        line += " \(record.label): "
        StreamLogHandler.appendEscaped(record.message, to: &line)
        for key in record.metadata.keys.sorted() {
            appendPair(key, record.metadata[key]!.description, to: &line, useColor: useColor)
        }
        if let span = record.spanContext {
            appendPair(LogField.traceID, span.traceID.description, to: &line, useColor: useColor)
            appendPair(LogField.spanID, span.spanID.description, to: &line, useColor: useColor)
        }
        line += "\n"
        return line
    }

    private static func appendPair(_ key: String, _ value: String, to line: inout String, useColor: Bool) {
        line += " "
        if useColor {
            line += ANSI.dim
            StreamLogHandler.appendEscaped(key, to: &line)
            line += "=" + ANSI.reset
        } else {
            StreamLogHandler.appendEscaped(key, to: &line)
            line += "="
        }
        StreamLogHandler.appendValue(value, to: &line)
    }
}

/// ANSI SGR escape sequences (ECMA-48, section 8.3.117).
private enum ANSI {
    static let reset = "\u{1B}[0m"
    static let dim = "\u{1B}[2m"

    static func color(for level: Logger.Level) -> String {
        switch level {
        case .trace: "\u{1B}[90m"
        case .debug: "\u{1B}[34m"
        case .info: "\u{1B}[32m"
        case .notice: "\u{1B}[36m"
        case .warning: "\u{1B}[33m"
        case .error: "\u{1B}[31m"
        case .critical: "\u{1B}[1;31m"
        }
    }
}
