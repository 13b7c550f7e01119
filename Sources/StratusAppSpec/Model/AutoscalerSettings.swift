/// The autoscaler's settings for the whole app, like the Kubernetes
/// controller manager's `--horizontal-pod-autoscaler-*` flags.
public struct AutoscalerSettings: Sendable, Hashable, Codable {
    /// How often the autoscaler measures CPU and computes replicas. Default 15 s.
    public var syncPeriod: Duration = .seconds(15)
    /// The relative difference between measured and target use below which
    /// the autoscaler does not scale. Default 0.1.
    public var tolerance = 0.1

    public init(syncPeriod: Duration = .seconds(15), tolerance: Double = 0.1) {
        self.syncPeriod = syncPeriod
        self.tolerance = tolerance
    }

    enum CodingKeys: String, CodingKey {
        case syncPeriod, tolerance
    }

    public init(from decoder: any Decoder) throws {
        let wire = SpecCoding.isWireFormat(decoder.userInfo)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        syncPeriod = try container.specDuration(forKey: .syncPeriod, default: .seconds(15), wire: wire)
        tolerance = try container.specValue(Double.self, forKey: .tolerance, default: 0.1)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeDuration(syncPeriod, forKey: .syncPeriod)
        try container.encode(tolerance, forKey: .tolerance)
    }
}
