/// A handler that writes one plain-text line per event to standard error or
/// standard output:
///
/// ```
/// 2026-12-04T19:50:00.123Z info stratus.http: request failed request.id=8f3a-1 http.method=GET
/// ```
///
/// The line contains the UTC time with milliseconds, the level, the label, the
/// message and the merged metadata (handler, then provider, then call site) as `key=value` pairs sorted by key. See
/// `StreamLogHandler+Format.swift` for how values are quoted.
///
/// Thread safety: lines from all handlers that share a stream are written
/// under one lock, so lines from concurrent tasks never interleave.
public struct StreamLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let output: LogOutput

    /// A handler writing to standard error, the usual stream for service logs.
    public static func standardError(label: String) -> StreamLogHandler {
        StreamLogHandler(label: label, output: .standardError)
    }

    /// A handler writing to standard output.
    public static func standardOutput(label: String) -> StreamLogHandler {
        StreamLogHandler(label: label, output: .standardOutput)
    }

    /// A handler writing its lines to `output`. Tests use it to capture lines.
    package init(label: String, output: LogOutput) {
        self.label = label
        self.output = output
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
        let text = Self.formatLine(
            timestamp: UTCTimestamp.now(),
            level: level,
            label: label,
            message: message,
            metadata: mergedMetadata(callSite: callSite)
        )
        output.write(text)
    }
}
