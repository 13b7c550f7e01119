/// How a consumer group receives messages.
///
/// `ackTimeout` and `maxDeliveries` belong to the group: every subscribe
/// call sets them for the whole group, so give all members the same values.
/// `maxInFlight` belongs to the one subscription.
public struct SubscriptionOptions: Sendable, Hashable {
    /// How long a delivered message may stay unacknowledged before the
    /// broker delivers it again, to any member. Default 30 s; at least 100 ms.
    public var ackTimeout: Duration = .seconds(30)
    /// How many deliveries a message gets before it moves to the dead-letter
    /// topic (`<topic>.dlq`). Default 5; 1 to 1000.
    public var maxDeliveries = 5
    /// The most messages this subscription holds unacknowledged at once. The
    /// subscription fetches no more until some are acked or nacked, so a slow
    /// consumer never holds more than this. Default 64; 1 to 10,000.
    public var maxInFlight = 64
    /// The longest wait of one fetch for new messages before it asks again.
    /// Default 5 s; only the idle cost depends on it, not the latency.
    public var fetchWait: Duration = .seconds(5)

    public init(ackTimeout: Duration = .seconds(30), maxDeliveries: Int = 5, maxInFlight: Int = 64) {
        self.ackTimeout = ackTimeout
        self.maxDeliveries = maxDeliveries
        self.maxInFlight = maxInFlight
    }

    /// Checks the ranges documented on each field.
    public func validate() throws(EventBusError) {
        guard ackTimeout >= .milliseconds(100), ackTimeout <= .seconds(86_400) else {
            throw .invalid("ackTimeout", "\(ackTimeout)", expected: "100 ms to 24 h")
        }
        guard (1...1000).contains(maxDeliveries) else {
            throw .invalid("maxDeliveries", "\(maxDeliveries)", expected: "1 to 1000")
        }
        guard (1...10_000).contains(maxInFlight) else {
            throw .invalid("maxInFlight", "\(maxInFlight)", expected: "1 to 10000")
        }
        guard fetchWait >= .milliseconds(10), fetchWait <= .seconds(60) else {
            throw .invalid("fetchWait", "\(fetchWait)", expected: "10 ms to 60 s")
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    package var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The duration in whole nanoseconds, rounded down.
    package var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
