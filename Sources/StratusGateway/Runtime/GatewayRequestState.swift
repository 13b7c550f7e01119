import Synchronization

/// The facts the gateway learns about one request while it passes the
/// route's chain, readable by the middleware around it: the consumer an auth
/// plugin identified, and the upstream instance that served it.
///
/// Plugins set the consumer with `GatewayRequestState.current?.setConsumer(_:)`.
/// The gateway sends it upstream as `X-Stratus-Consumer`, removes any
/// client-sent value of that field, and uses it for rate limits by
/// consumer and the `consumer` label of its metrics.
///
/// Thread safety: the values are behind a `Mutex`.
public final class GatewayRequestState: Sendable {
    /// The state of the request the current task serves, or nil outside
    /// the gateway's route chain.
    @TaskLocal public static var current: GatewayRequestState?

    private struct Values {
        var consumer: String?
        var instance: String?
        var attempts = 0
    }

    private let values = Mutex(Values())

    init(consumer: String?) {
        values.withLock { $0.consumer = consumer }
    }

    /// The consumer's name, once identified.
    public var consumer: String? { values.withLock { $0.consumer } }

    /// Records the consumer that made the request: a name from the
    /// configuration's `consumers`.
    public func setConsumer(_ name: String) {
        values.withLock { $0.consumer = name }
    }

    /// The id of the instance of the latest attempt, once known.
    var instance: String? { values.withLock { $0.instance } }

    func recordAttempt(instance: String) {
        values.withLock { values in
            values.instance = instance
            values.attempts += 1
        }
    }

    var attempts: Int { values.withLock { $0.attempts } }
}
