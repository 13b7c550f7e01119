public import StratusLog

/// A handler that writes one JSON object per line, for log collectors such as
/// Fluent Bit, Vector or Filebeat feeding Elasticsearch or Loki:
///
/// ```
/// {"timestamp":"2026-12-04T20:33:47.123Z","level":"info","label":"stratus.access","message":"request","source":"StratusTelemetry","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","http.method":"GET","http.status":200}
/// ```
///
/// Fields, in this order:
/// - `timestamp`: RFC 3339 in UTC with milliseconds.
/// - `level`, `label`, `message`, `source`: strings.
/// - `trace_id` and `span_id`: only while a span is active, read from
///   `ServiceContext.current?.spanContext`.
/// - then each metadata entry as a top-level member sorted by key, with the
///   dotted key kept as one name (`"request.id"`), which Elasticsearch maps
///   to the same field as a nested object. Nested dictionaries and arrays
///   become JSON objects and arrays. Integers, finite floating-point numbers
///   and booleans passed as `.stringConvertible` become JSON numbers and
///   booleans, everything else a string.
///
/// Metadata cannot overwrite the fields above. A metadata key equal to one of
/// them is written with the prefix `metadata.` (`metadata.level`). When the
/// metadata also contains that prefixed key, the colliding entry is dropped,
/// because Elasticsearch rejects an object that contains a name twice.
///
/// Metadata is merged in the order `LogHandler` documents and then redacted
/// with `redactor`. With a `burstLimiter`, repeated events are suppressed as
/// `LogBurstLimiter` describes. Lines go to a `BufferedLogOutput`, which
/// documents when they reach the descriptor and what a crash can lose.
///
/// Thread safety: the handler is a value; copies share the output and the
/// limiter, which are thread-safe.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let pipeline: LogPipeline

    public init(
        label: String,
        output: BufferedLogOutput = .standardOutput,
        redactor: Redactor = .standard,
        burstLimiter: LogBurstLimiter? = nil,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        pipeline = LogPipeline(label: label, output: output, redactor: redactor, burstLimiter: burstLimiter)
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
        pipeline.write(
            level: level,
            message: message,
            metadata: { mergedMetadata(callSite: callSite) },
            source: source,
            format: Self.formatLine
        )
    }

    static func formatLine(_ record: LogRecord) -> [UInt8] {
        var encoder = JSONLineEncoder()
        encoder.appendMember(LogField.timestamp, string: record.timestamp)
        encoder.appendMember(LogField.level, string: record.level.rawValue)
        encoder.appendMember(LogField.label, string: record.label)
        encoder.appendMember(LogField.message, string: record.message)
        encoder.appendMember(LogField.source, string: record.source)
        if let span = record.spanContext {
            encoder.appendMember(LogField.traceID, string: span.traceID.description)
            encoder.appendMember(LogField.spanID, string: span.spanID.description)
        }
        for key in record.metadata.keys.sorted() {
            guard let name = memberName(forMetadataKey: key, in: record.metadata) else { continue }
            encoder.appendMember(name, value: record.metadata[key]!)
        }
        return encoder.finish()
    }

    /// Returns the JSON member name for a metadata key, or nil to drop it.
    private static func memberName(forMetadataKey key: String, in metadata: Logger.Metadata) -> String? {
        guard LogField.fixed.contains(key) else { return key }
        let prefixed = LogField.collisionPrefix + key
        return metadata[prefixed] == nil ? prefixed : nil
    }
}
