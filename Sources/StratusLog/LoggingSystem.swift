import Synchronization

/// The process-wide choice of log handler for loggers made with
/// `Logger(label:)`, and of the metadata provider those handlers get.
///
/// Until `bootstrap` is called, such loggers write to standard error through
/// `StreamLogHandler` at level `.info`, with no metadata provider.
public enum LoggingSystem {
    /// Makes the handler for a label, given the metadata provider to use.
    public typealias Factory = @Sendable (String, Logger.MetadataProvider?) -> any LogHandler

    private struct State {
        var factory: Factory
        var metadataProvider: Logger.MetadataProvider?
        var isBootstrapped: Bool
    }

    private static let state = Mutex(
        State(
            factory: { label, provider in
                var handler = StreamLogHandler.standardError(label: label)
                handler.metadataProvider = provider
                return handler
            },
            metadataProvider: nil,
            isBootstrapped: false
        )
    )

    /// Sets the factory that `Logger(label:)` uses to make handlers, once per
    /// process, before the first logger is made.
    ///
    /// Thread safety: may be called from any thread. A second call of either
    /// `bootstrap` is a programmer error and stops the process, because
    /// loggers made before it would silently keep the first factory.
    public static func bootstrap(_ factory: @escaping @Sendable (String) -> any LogHandler) {
        bootstrap({ label, _ in factory(label) }, metadataProvider: nil)
    }

    /// Sets the factory and the metadata provider that `Logger(label:)` passes
    /// to it, once per process, before the first logger is made.
    ///
    /// `Logger(label:metadataProvider:)` passes its own provider to the same
    /// factory instead. The factory decides what to do with the provider,
    /// usually storing it in the handler's `metadataProvider`.
    public static func bootstrap(_ factory: @escaping Factory, metadataProvider: Logger.MetadataProvider?) {
        state.withLock { state in
            precondition(
                !state.isBootstrapped,
                "LoggingSystem.bootstrap was called a second time; call it once, at process start"
            )
            state.factory = factory
            state.metadataProvider = metadataProvider
            state.isBootstrapped = true
        }
    }

    /// The metadata provider given to `bootstrap`, or nil.
    public static var metadataProvider: Logger.MetadataProvider? {
        state.withLock { $0.metadataProvider }
    }

    /// Makes a handler with the current factory and provider. The factory runs
    /// outside the lock, so it may itself create loggers.
    static func makeHandler(label: String) -> any LogHandler {
        let (factory, provider) = state.withLock { ($0.factory, $0.metadataProvider) }
        return factory(label, provider)
    }

    /// Makes a handler with the current factory and `metadataProvider`.
    static func makeHandler(label: String, metadataProvider: Logger.MetadataProvider) -> any LogHandler {
        let factory = state.withLock { $0.factory }
        return factory(label, metadataProvider)
    }
}
