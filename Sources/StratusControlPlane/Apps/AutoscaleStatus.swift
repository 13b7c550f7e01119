/// A service's autoscaler as observed, with its recent decisions.
public struct AutoscaleStatus: Sendable, Hashable, Codable {
    public var min: Int
    public var max: Int
    public var targetCPUPercent: Int
    /// The average utilization at the last sync, in percent of the target's
    /// base (one CPU, or the CPU request).
    public var currentCPUPercent: Double?
    /// The latest scaling decisions, oldest first, at most 20.
    public var events: [ScalingEvent]

    public init(min: Int, max: Int, targetCPUPercent: Int, currentCPUPercent: Double?, events: [ScalingEvent]) {
        self.min = min
        self.max = max
        self.targetCPUPercent = targetCPUPercent
        self.currentCPUPercent = currentCPUPercent
        self.events = events
    }
}

/// One change of a service's replica count by the autoscaler.
public struct ScalingEvent: Sendable, Hashable, Codable {
    /// ISO 8601.
    public var time: String
    public var from: Int
    public var to: Int
    public var reason: String

    public init(time: String, from: Int, to: Int, reason: String) {
        self.time = time
        self.from = from
        self.to = to
        self.reason = reason
    }
}
