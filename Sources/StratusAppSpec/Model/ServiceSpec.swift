/// One service of an app: what to run, how many replicas, how to probe,
/// scale and replace them. The orchestrator's Deployment.
public struct ServiceSpec: Sendable, Hashable, Codable {
    /// The service's name, a DNS label. Replicas are named `<name>-<n>` and
    /// should register under this name.
    public var name: String
    /// A SwiftPM executable product to build and run, such as `greeter-api`.
    public var product: String?
    /// A program to run instead of a product, relative to the app spec's
    /// directory unless absolute.
    public var command: String?
    public var arguments: [String] = []
    /// Variables set in each replica's environment, on top of `PORT`,
    /// `STRATUS_CONTROLPLANE` and `STRATUS_INSTANCE_ID`.
    public var environment: [String: String] = [:]
    /// The replicas' working directory, relative to the app spec's
    /// directory. Default: the app spec's directory.
    public var workingDirectory: String?
    /// The desired number of replicas, 0 or more. Default 1. With
    /// `autoscale`, the number to start with, kept within its bounds.
    public var replicas = 1
    /// Whether replicas register with the control plane's service registry,
    /// as kit services do. Default true: a replica then counts as available
    /// only once registered, and is marked DRAINING there before it stops.
    public var registers = true
    /// Services that must have a ready replica before this one starts.
    public var dependsOn: [String] = []
    public var health = HealthSpec()
    public var autoscale: AutoscaleSpec?
    public var rollout = RolloutSpec()
    public var resources = ResourcesSpec()
    /// How long a replica stays registered as DRAINING, so that callers stop
    /// routing to it, before it is sent SIGTERM. Default 1 s.
    public var drainPeriod: Duration = .seconds(1)
    /// How long a replica may take to exit after SIGTERM before it is sent
    /// SIGKILL. Default 30 s.
    public var terminationGracePeriod: Duration = .seconds(30)

    public init(name: String, product: String? = nil, command: String? = nil) {
        self.name = name
        self.product = product
        self.command = command
    }

    enum CodingKeys: String, CodingKey {
        case name, product, command, arguments, environment, workingDirectory, replicas, registers, dependsOn, health, autoscale,
            rollout, resources, drainPeriod, terminationGracePeriod
    }

    public init(from decoder: any Decoder) throws {
        let wire = SpecCoding.isWireFormat(decoder.userInfo)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.requiredSpecValue(String.self, forKey: .name, placeholder: "")
        product = try container.optionalSpecValue(String.self, forKey: .product)
        command = try container.optionalSpecValue(String.self, forKey: .command)
        arguments = try container.specValue([String].self, forKey: .arguments, default: [])
        environment = try container.specValue([String: String].self, forKey: .environment, default: [:])
        workingDirectory = try container.optionalSpecValue(String.self, forKey: .workingDirectory)
        replicas = try container.specValue(Int.self, forKey: .replicas, default: 1)
        registers = try container.specValue(Bool.self, forKey: .registers, default: true)
        dependsOn = try container.specValue([String].self, forKey: .dependsOn, default: [])
        health = try container.specValue(HealthSpec.self, forKey: .health, default: HealthSpec())
        autoscale = try container.optionalSpecValue(AutoscaleSpec.self, forKey: .autoscale)
        rollout = try container.specValue(RolloutSpec.self, forKey: .rollout, default: RolloutSpec())
        resources = try container.specValue(ResourcesSpec.self, forKey: .resources, default: ResourcesSpec())
        drainPeriod = try container.specDuration(forKey: .drainPeriod, default: .seconds(1), wire: wire)
        terminationGracePeriod = try container.specDuration(forKey: .terminationGracePeriod, default: .seconds(30), wire: wire)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(product, forKey: .product)
        try container.encodeIfPresent(command, forKey: .command)
        try container.encode(arguments, forKey: .arguments)
        try container.encode(environment, forKey: .environment)
        try container.encodeIfPresent(workingDirectory, forKey: .workingDirectory)
        try container.encode(replicas, forKey: .replicas)
        try container.encode(registers, forKey: .registers)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encode(health, forKey: .health)
        try container.encodeIfPresent(autoscale, forKey: .autoscale)
        try container.encode(rollout, forKey: .rollout)
        try container.encode(resources, forKey: .resources)
        try container.encodeDuration(drainPeriod, forKey: .drainPeriod)
        try container.encodeDuration(terminationGracePeriod, forKey: .terminationGracePeriod)
    }
}
