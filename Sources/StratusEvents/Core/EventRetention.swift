/// How long a topic keeps messages, whether or not every group consumed
/// them. The oldest messages go first once either limit is passed.
public struct EventRetention: Sendable, Hashable {
    /// The age after which a message is removed. Default 7 days.
    public var maxAge: Duration = .seconds(7 * 86_400)
    /// The most bytes of payload, key and headers a topic keeps. Default 256 MiB.
    public var maxBytes: Int64 = 256 << 20

    public init(maxAge: Duration = .seconds(7 * 86_400), maxBytes: Int64 = 256 << 20) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }

    public func validate() throws(EventBusError) {
        guard maxAge >= .seconds(1) else {
            throw .invalid("retention maxAge", "\(maxAge)", expected: "at least 1 s")
        }
        guard maxBytes >= 1024 else {
            throw .invalid("retention maxBytes", "\(maxBytes)", expected: "at least 1024")
        }
    }
}
