/// A value that sends log events to a `LogHandler`, shaped like swift-log's
/// `Logger` so that code written against it moves to swift-log unchanged.
///
/// A logger is a value: copying it and changing the copy's `logLevel` or
/// metadata leaves the original untouched. Pass loggers in to the code that
/// logs instead of building them inside a library.
///
/// Thread safety: `Logger` is `Sendable`, so a copy may be used from any task.
public struct Logger: Sendable {
    /// The handler that filters, formats and writes this logger's events.
    public var handler: any LogHandler

    /// The name of the subsystem that logs, such as `stratus.http`.
    public let label: String

    /// Creates a logger whose handler comes from the factory given to
    /// `LoggingSystem.bootstrap`, or a `StreamLogHandler` on standard error
    /// when nothing was bootstrapped.
    public init(label: String) {
        self.init(label: label, handler: LoggingSystem.makeHandler(label: label))
    }

    /// Creates a logger like `init(label:)`, whose handler adds the metadata
    /// of `metadataProvider` to every event instead of the provider given to
    /// `LoggingSystem.bootstrap`. A handler that does not support providers
    /// ignores it.
    public init(label: String, metadataProvider: Logger.MetadataProvider) {
        self.init(label: label, handler: LoggingSystem.makeHandler(label: label, metadataProvider: metadataProvider))
    }

    /// Creates a logger with a handler from `factory`, ignoring the bootstrapped
    /// factory. Tests use this to capture events.
    public init(label: String, factory: (String) -> any LogHandler) {
        self.init(label: label, handler: factory(label))
    }

    /// Creates a logger with a handler from `factory`, which receives
    /// `metadataProvider`, ignoring the bootstrapped factory and provider.
    public init(
        label: String,
        factory: (String, Logger.MetadataProvider?) -> any LogHandler,
        metadataProvider: Logger.MetadataProvider?
    ) {
        self.init(label: label, handler: factory(label, metadataProvider))
    }

    init(label: String, handler: any LogHandler) {
        self.label = label
        self.handler = handler
    }

    /// The minimum level that this logger sends to its handler. Events
    /// below it are dropped before their message or metadata is evaluated.
    public var logLevel: Logger.Level {
        get { handler.logLevel }
        set { handler.logLevel = newValue }
    }

    /// The handler's metadata provider, or nil when it has none.
    public var metadataProvider: Logger.MetadataProvider? {
        handler.metadataProvider
    }

    /// A metadata value attached to every event this logger sends.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { handler[metadataKey: key] }
        set { handler[metadataKey: key] = newValue }
    }

    /// Sends an event at `level` to the handler when `level` is at least
    /// `logLevel`. The message, metadata and source closures are evaluated only
    /// in that case.
    ///
    /// - Parameters:
    ///   - source: the module that logs. By default, the module part of `file`.
    @inlinable
    public func log(
        level: Logger.Level,
        _ message: @autoclosure () -> Logger.Message,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        source: @autoclosure () -> String? = nil,
        file: String = #fileID,
        function: String = #function,
        line: UInt = #line
    ) {
        guard level >= handler.logLevel else { return }
        handler.log(
            level: level,
            message: message(),
            metadata: metadata(),
            source: source() ?? Logger.moduleName(fileID: file),
            file: file,
            function: function,
            line: line
        )
    }

    /// Returns the module part of a `#fileID` value (`StratusHTTP/Router.swift`
    /// becomes `StratusHTTP`).
    @usableFromInline
    static func moduleName(fileID: String) -> String {
        guard let slash = fileID.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            return fileID
        }
        return String(fileID[..<slash])
    }
}
