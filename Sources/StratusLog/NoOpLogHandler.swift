/// A handler that discards every event, for code that requires a logger when
/// the caller wants no output.
///
/// Its level is always `.critical` and cannot be changed, so `Logger` skips
/// evaluating the message of every event below `.critical`. Metadata set on it
/// is discarded as well.
public struct NoOpLogHandler: LogHandler {
    public init(label: String = "") {}

    public func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {}

    public subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    public var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    public var logLevel: Logger.Level {
        get { .critical }
        set {}
    }
}
