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

    let pipeline: LogPipeline

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
            format: Self.writeLine
        )
    }

    /// Formats `record` and passes the line to `write`.
    static func writeLine(_ record: LogRecord, to write: (UnsafeBufferPointer<UInt8>) -> Void) {
        writeLine(record, to: write) { encoder in
            appendMetadata(record.metadata, to: &encoder)
        }
    }

    /// Formats the fields up to `span_id`, lets `appendMetadata` write the
    /// metadata members, and passes the line to `write`.
    static func writeLine(
        _ record: LogRecord,
        to write: (UnsafeBufferPointer<UInt8>) -> Void,
        appendMetadata: (inout JSONLineEncoder) -> Void
    ) {
        var encoder = JSONLineEncoder()
        encoder.appendKey(encoded: EncodedField.timestamp)
        encoder.appendTimestamp(record.timestamp)
        encoder.appendKey(encoded: EncodedField.level)
        encoder.appendString(record.level.rawValue)
        encoder.appendKey(encoded: EncodedField.label)
        encoder.appendString(record.label)
        encoder.appendKey(encoded: EncodedField.message)
        encoder.appendString(record.message)
        encoder.appendKey(encoded: EncodedField.source)
        encoder.appendString(record.source)
        if let span = record.spanContext {
            encoder.appendKey(encoded: EncodedField.traceID)
            encoder.appendHexString(span.traceID.high, span.traceID.low)
            encoder.appendKey(encoded: EncodedField.spanID)
            encoder.appendHexString(span.spanID.value)
        }
        appendMetadata(&encoder)
        encoder.finish(write)
    }

    /// Appends each entry of `metadata` as a member, sorted by key.
    static func appendMetadata(_ metadata: Logger.Metadata, to encoder: inout JSONLineEncoder) {
        guard !metadata.isEmpty else { return }
        for entry in metadata.sorted(by: { $0.key < $1.key }) {
            guard let name = memberName(forMetadataKey: entry.key, in: metadata) else { continue }
            encoder.appendMember(name, value: entry.value)
        }
    }

    /// Returns the JSON member name for a metadata key, or nil to drop it.
    static func memberName(forMetadataKey key: String, in metadata: Logger.Metadata) -> String? {
        guard LogField.isFixed(key) else { return key }
        let prefixed = LogField.collisionPrefix + key
        return metadata[prefixed] == nil ? prefixed : nil
    }
}

/// The names of the fixed fields, quoted and followed by `:`, encoded once.
private enum EncodedField {
    static let timestamp = JSONLineEncoder.encodedKey(LogField.timestamp)
    static let level = JSONLineEncoder.encodedKey(LogField.level)
    static let label = JSONLineEncoder.encodedKey(LogField.label)
    static let message = JSONLineEncoder.encodedKey(LogField.message)
    static let source = JSONLineEncoder.encodedKey(LogField.source)
    static let traceID = JSONLineEncoder.encodedKey(LogField.traceID)
    static let spanID = JSONLineEncoder.encodedKey(LogField.spanID)
}
