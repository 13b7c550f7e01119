/// The load-balancing algorithms by name, as a service's configuration
/// selects them. `leastLoaded` is the default.
public enum LoadBalancingPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// `RoundRobinBalancer`.
    case roundRobin = "round-robin"
    /// `SmoothWeightedRoundRobinBalancer`.
    case weightedRoundRobin = "weighted-round-robin"
    /// `WeightedRandomBalancer` with the system's random number generator.
    case random = "random"
    /// `PowerOfTwoChoicesBalancer` with the default configuration.
    case leastLoaded = "least-loaded"
    /// `MaglevBalancer` with the default table size.
    case maglev = "maglev"

    /// The policy to use when a service names none.
    public static let `default` = LoadBalancingPolicy.leastLoaded

    /// Creates a new balancer of this policy with default settings.
    public func makeBalancer() -> any LoadBalancer {
        switch self {
        case .roundRobin: RoundRobinBalancer()
        case .weightedRoundRobin: SmoothWeightedRoundRobinBalancer()
        case .random: WeightedRandomBalancer()
        case .leastLoaded: PowerOfTwoChoicesBalancer()
        case .maglev: MaglevBalancer()
        }
    }
}
