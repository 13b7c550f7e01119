public import StratusLog

extension Logger.MetadataProvider {
    /// A provider that adds `trace_id` and `span_id` of the active span
    /// (`ServiceContext.current?.spanContext`), and nothing when no span is
    /// active.
    ///
    /// `JSONLogHandler` and `ConsoleLogHandler` write these fields without
    /// it. It is for other handlers, such as `StreamLogHandler`.
    public static let spanContext = Logger.MetadataProvider {
        guard let span = ServiceContext.current?.spanContext else { return [:] }
        return [
            LogField.traceID: .string(span.traceID.description),
            LogField.spanID: .string(span.spanID.description),
        ]
    }
}
