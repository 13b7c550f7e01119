import StratusLog

/// The destination of `AccessLogMiddleware`'s lines: a `JSONLogHandler`
/// directly, which writes the fields without a metadata dictionary, or the
/// logger, for any other handler.
///
/// The choice is made once, at init, because the middleware's logger is
/// immutable, so its handler cannot change afterwards.
enum AccessLogSink: Sendable {
    case json(AccessLogJSONWriter)
    case logger(Logger)

    init(logger: Logger) {
        if let handler = logger.handler as? JSONLogHandler {
            self = .json(AccessLogJSONWriter(handler: handler))
        } else {
            self = .logger(logger)
        }
    }

    func write(_ entry: AccessLogEntry) {
        switch self {
        case .json(let writer):
            writer.write(entry)
        case .logger(let logger):
            logger.info(AccessLogEntry.message, metadata: entry.metadata)
        }
    }
}
