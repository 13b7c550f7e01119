import StratusLog

/// The steps `JSONLogHandler` and `ConsoleLogHandler` share between receiving
/// an event and writing its line: burst limiting, redaction, reading the
/// active span, and choosing when to flush.
struct LogPipeline: Sendable {
    let label: String
    let output: BufferedLogOutput
    let redactor: Redactor
    let burstLimiter: LogBurstLimiter?

    /// Writes the event's line, preceded by any burst summaries that are due.
    /// `metadata` is merged only for events the limiter lets through. Lines at
    /// `error` and above are flushed at once, so they survive a crash that
    /// follows them.
    func write(
        level: Logger.Level,
        message: Logger.Message,
        metadata: () -> Logger.Metadata,
        source: String,
        format: (LogRecord) -> [UInt8]
    ) {
        let text = message.description
        if let burstLimiter {
            let admission = burstLimiter.admit(level: level, label: label, message: text, source: source)
            for summary in admission.summaries {
                output.write(format(Self.record(of: summary)), flush: summary.level >= .error)
            }
            guard admission.isAllowed else { return }
        }
        let record = LogRecord(
            timestamp: UTCTimestamp.now(),
            level: level,
            label: label,
            message: text,
            metadata: redactor.redact(metadata()),
            source: source,
            spanContext: ServiceContext.current?.spanContext
        )
        output.write(format(record), flush: level >= .error)
    }

    private static func record(of summary: LogBurstLimiter.Summary) -> LogRecord {
        LogRecord(
            timestamp: UTCTimestamp.now(),
            level: summary.level,
            label: summary.label,
            message: summary.message,
            metadata: [LogField.suppressed: .stringConvertible(summary.suppressedCount)],
            source: summary.source,
            spanContext: nil
        )
    }
}
