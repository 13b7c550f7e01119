public import StratusAppSpec

/// The replica count a service's CPU use calls for, computed as the
/// Kubernetes HorizontalPodAutoscaler does (autoscaling/v2, algorithm
/// details in the Kubernetes documentation):
///
///     desired = ceil(current × currentUtilization / targetUtilization)
///
/// - Within the tolerance (ratio within 1 ± 0.1 by default) the count stays.
/// - The result is clamped to [min, max].
/// - Scale-down is stabilized: each sync's recommendation is remembered for
///   `scaleDownStabilization`, and a scale-down goes only as low as the
///   highest recommendation in that window, so a short dip in load does not
///   remove replicas. Scale-up applies at once.
///
/// A value type without I/O or clock: the caller passes the time of each
/// sync, so tests drive it with instants of their choosing.
public struct HorizontalAutoscaler: Sendable {
    /// One sync's outcome.
    public struct Decision: Sendable, Hashable {
        /// The replica count to set.
        public var replicas: Int
        /// The count before stabilization: the formula, tolerance and bounds.
        public var recommended: Int
        public var reason: String
    }

    public let spec: AutoscaleSpec
    public let tolerance: Double
    private var history: [(at: ContinuousClock.Instant, replicas: Int)] = []

    public init(spec: AutoscaleSpec, tolerance: Double = 0.1) {
        self.spec = spec
        self.tolerance = tolerance
    }

    /// Returns the formula's count for `current` replicas at `utilization`
    /// percent against `target` percent, before bounds and stabilization.
    public static func desiredReplicas(current: Int, utilization: Double, target: Double, tolerance: Double) -> Int {
        guard current > 0, target > 0 else { return current }
        let ratio = utilization / target
        // The small allowance keeps a ratio of exactly 1 ± tolerance, such as
        // 55 / 50 = 1.1000000000000001 in binary floating point, inside.
        if abs(ratio - 1) <= tolerance + 1e-9 {
            return current
        }
        return Int((Double(current) * ratio).rounded(.up))
    }

    /// Computes the count for one sync at `now`, with `utilization` the
    /// average CPU use of the ready replicas in percent of their base (one
    /// CPU, or the CPU request), and records the recommendation.
    public mutating func recommend(current: Int, utilization: Double, at now: ContinuousClock.Instant) -> Decision {
        let formula = Self.desiredReplicas(current: current, utilization: utilization, target: Double(spec.targetCPUPercent), tolerance: tolerance)
        let recommended = min(max(formula, spec.min), spec.max)
        history.append((now, recommended))
        history.removeAll { now - $0.at > spec.scaleDownStabilization }
        let usage = "CPU \(Self.percent(utilization)) of target \(spec.targetCPUPercent)%"
        guard recommended < current else {
            let reason = recommended > current ? "\(usage): above target" : "\(usage): within tolerance or bounds"
            return Decision(replicas: recommended, recommended: recommended, reason: reason)
        }
        let stabilized = min(current, history.map(\.replicas).max() ?? recommended)
        let reason = stabilized > recommended
            ? "\(usage): below target, held at \(stabilized) by the scale-down stabilization window"
            : "\(usage): below target"
        return Decision(replicas: stabilized, recommended: recommended, reason: reason)
    }

    static func percent(_ value: Double) -> String {
        "\(Int(value.rounded()))%"
    }
}
