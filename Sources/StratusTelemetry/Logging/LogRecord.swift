import StratusLog

/// One event as the handlers of this module format it: metadata merged and
/// redacted, the active span read.
struct LogRecord {
    var timestamp: UTCTimestamp.Instant
    var level: Logger.Level
    var label: String
    var message: String
    var metadata: Logger.Metadata
    var source: String
    var spanContext: SpanContext?
}
