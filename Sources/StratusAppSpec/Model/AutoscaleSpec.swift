/// A service's horizontal autoscaler: the fields of a Kubernetes
/// HorizontalPodAutoscaler with one CPU utilization metric.
public struct AutoscaleSpec: Sendable, Hashable, Codable {
    /// The minimum replica count the autoscaler keeps, 1 or more. Default 1.
    public var min: Int = 1
    /// The maximum replica count the autoscaler sets, `min` or more.
    public var max: Int
    /// The average CPU use per replica to aim for, in percent of one CPU, or
    /// of the CPU request when `resources.requests.cpu` is set. Default 80.
    public var targetCPUPercent: Int = 80
    /// How long the autoscaler remembers earlier recommendations before it
    /// scales in: it uses the highest of them. Default 5 minutes.
    public var scaleDownStabilization: Duration = .seconds(300)

    public init(min: Int = 1, max: Int, targetCPUPercent: Int = 80, scaleDownStabilization: Duration = .seconds(300)) {
        self.min = min
        self.max = max
        self.targetCPUPercent = targetCPUPercent
        self.scaleDownStabilization = scaleDownStabilization
    }

    enum CodingKeys: String, CodingKey {
        case min, max, targetCPUPercent, scaleDownStabilization
    }

    public init(from decoder: any Decoder) throws {
        let wire = SpecCoding.isWireFormat(decoder.userInfo)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        min = try container.specValue(Int.self, forKey: .min, default: 1)
        max = try container.requiredSpecValue(Int.self, forKey: .max, placeholder: Swift.max(min, 1))
        targetCPUPercent = try container.specValue(Int.self, forKey: .targetCPUPercent, default: 80)
        scaleDownStabilization = try container.specDuration(forKey: .scaleDownStabilization, default: .seconds(300), wire: wire)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(min, forKey: .min)
        try container.encode(max, forKey: .max)
        try container.encode(targetCPUPercent, forKey: .targetCPUPercent)
        try container.encodeDuration(scaleDownStabilization, forKey: .scaleDownStabilization)
    }
}
