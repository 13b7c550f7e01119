/// The limits of a rollout that replaces a service's replicas: the
/// Deployment's RollingUpdate strategy.
///
/// With `replicas` desired, a rollout keeps at most `replicas + maxSurge`
/// replicas running and at least `replicas - maxUnavailable` ready.
public struct RolloutSpec: Sendable, Hashable, Codable {
    /// Replicas that may run above the desired count. Default 25%, rounded up.
    public var maxSurge: IntOrPercent = .percent(25)
    /// Replicas that may be unavailable below the desired count. Default
    /// 25%, rounded down.
    public var maxUnavailable: IntOrPercent = .percent(25)

    public init(maxSurge: IntOrPercent = .percent(25), maxUnavailable: IntOrPercent = .percent(25)) {
        self.maxSurge = maxSurge
        self.maxUnavailable = maxUnavailable
    }

    enum CodingKeys: String, CodingKey {
        case maxSurge, maxUnavailable
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxSurge = try container.specValue(IntOrPercent.self, forKey: .maxSurge, default: .percent(25))
        maxUnavailable = try container.specValue(IntOrPercent.self, forKey: .maxUnavailable, default: .percent(25))
    }

    /// Returns the surge and the unavailable allowance for `replicas`. When
    /// both resolve to 0 the surge is 1, so that a rollout can progress
    /// (validation rejects a spec that sets both to 0).
    public func limits(replicas: Int) -> (maxSurge: Int, maxUnavailable: Int) {
        let surge = maxSurge.resolve(against: replicas, roundingUp: true)
        let unavailable = maxUnavailable.resolve(against: replicas, roundingUp: false)
        return (surge == 0 && unavailable == 0) ? (1, 0) : (surge, unavailable)
    }
}
