import Synchronization

/// The process-wide choice of log handler for loggers made with
/// `Logger(label:)`.
///
/// Until `bootstrap` is called, such loggers write to standard error through
/// `StreamLogHandler` at level `.info`.
public enum LoggingSystem {
    private struct State {
        var factory: @Sendable (String) -> any LogHandler
        var isBootstrapped: Bool
    }

    private static let state = Mutex(
        State(factory: { StreamLogHandler.standardError(label: $0) }, isBootstrapped: false)
    )

    /// Sets the factory that `Logger(label:)` uses to make handlers, once per
    /// process, before the first logger is made.
    ///
    /// Thread safety: may be called from any thread. A second call is a
    /// programmer error and stops the process, because loggers made before it
    /// would silently keep the first factory.
    public static func bootstrap(_ factory: @escaping @Sendable (String) -> any LogHandler) {
        state.withLock { state in
            precondition(
                !state.isBootstrapped,
                "LoggingSystem.bootstrap was called a second time; call it once, at process start"
            )
            state.factory = factory
            state.isBootstrapped = true
        }
    }

    /// Makes a handler with the current factory. The factory runs outside the
    /// lock, so it may itself create loggers.
    static func makeHandler(label: String) -> any LogHandler {
        let factory = state.withLock { $0.factory }
        return factory(label)
    }
}
