import StratusLog

/// The steps `JSONLogHandler` and `ConsoleLogHandler` share between receiving
/// an event and writing its line: burst limiting, redaction, reading the
/// active span, and choosing when to flush.
struct LogPipeline: Sendable {
    let label: String
    let output: BufferedLogOutput
    let redactor: Redactor
    let burstLimiter: LogBurstLimiter?
    /// `burstLimiter`, or nil when it exempts `label`. The limiter's
    /// configuration is immutable, so the exemption is decided once here
    /// instead of hashing the label for every event.
    private let limiterForLabel: LogBurstLimiter?

    init(label: String, output: BufferedLogOutput, redactor: Redactor, burstLimiter: LogBurstLimiter?) {
        self.label = label
        self.output = output
        self.redactor = redactor
        self.burstLimiter = burstLimiter
        let isExempt = burstLimiter?.configuration.exemptLabels.contains(label) ?? true
        limiterForLabel = isExempt ? nil : burstLimiter
    }

    /// Writes the event's line, preceded by any burst summaries that are due.
    /// `format` formats a record and passes the line to its `write` argument.
    /// `metadata` is merged only for events the limiter lets through. Lines at
    /// `error` and above are flushed at once, so they survive a crash that
    /// follows them.
    func write(
        level: Logger.Level,
        message: Logger.Message,
        metadata: () -> Logger.Metadata,
        source: String,
        format: (LogRecord, _ write: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) {
        let text = message.description
        if let limiter = limiterForLabel {
            let admission = limiter.admit(level: level, label: label, message: text, source: source)
            for summary in admission.summaries {
                format(Self.record(of: summary)) { output.write($0, flush: summary.level >= .error) }
            }
            guard admission.isAllowed else { return }
        }
        let record = LogRecord(
            timestamp: UTCTimestamp.currentInstant(),
            level: level,
            label: label,
            message: text,
            metadata: redactor.redact(metadata()),
            source: source,
            spanContext: ServiceContext.current?.spanContext
        )
        format(record) { output.write($0, flush: level >= .error) }
    }

    private static func record(of summary: LogBurstLimiter.Summary) -> LogRecord {
        LogRecord(
            timestamp: UTCTimestamp.currentInstant(),
            level: summary.level,
            label: summary.label,
            message: summary.message,
            metadata: [LogField.suppressed: .stringConvertible(summary.suppressedCount)],
            source: summary.source,
            spanContext: nil
        )
    }
}
