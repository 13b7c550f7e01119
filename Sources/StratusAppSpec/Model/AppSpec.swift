/// An app: its services, its gateway and its control plane, as one
/// `stratus.yaml` declares them. `stratus up` runs it on one machine, and
/// the same spec renders Kubernetes manifests.
///
/// ```yaml
/// name: greeter
/// services:
///   - name: greeter-names
///     product: greeter-names
///     replicas: 2
///   - name: greeter-api
///     product: greeter-api
///     dependsOn: [greeter-names]
/// gateway:
///   listen: 127.0.0.1:8080
///   routes: [...]
/// ```
public struct AppSpec: Sendable, Hashable, Codable {
    /// The app's name, a DNS label.
    public var name: String
    /// The services, in the order written; `dependsOn` decides the start order.
    public var services: [ServiceSpec] = []
    public var gateway: GatewaySpec?
    public var controlPlane = ControlPlaneSpec()
    public var build = BuildSpec()
    public var autoscaler = AutoscalerSettings()

    public init(name: String, services: [ServiceSpec] = []) {
        self.name = name
        self.services = services
    }

    enum CodingKeys: String, CodingKey {
        case name, services, gateway, controlPlane, build, autoscaler
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.requiredSpecValue(String.self, forKey: .name, placeholder: "")
        services = try Self.decodeServices(container)
        gateway = try container.optionalSpecValue(GatewaySpec.self, forKey: .gateway)
        controlPlane = try container.specValue(ControlPlaneSpec.self, forKey: .controlPlane, default: ControlPlaneSpec())
        build = try container.specValue(BuildSpec.self, forKey: .build, default: BuildSpec())
        autoscaler = try container.specValue(AutoscalerSettings.self, forKey: .autoscaler, default: AutoscalerSettings())
    }

    /// Decodes the services one by one, so that one invalid service does not
    /// hide the others' problems. A service that is not a mapping is kept as
    /// a placeholder without a name, so that indexes match the file, and its
    /// index recorded as skipped.
    private static func decodeServices(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [ServiceSpec] {
        try ProblemCollector.recovering([]) {
            guard container.contains(.services), try !container.decodeNil(forKey: .services) else { return [] }
            var elements = try container.nestedUnkeyedContainer(forKey: .services)
            var services: [ServiceSpec] = []
            while !elements.isAtEnd {
                let index = services.count
                // superDecoder moves past the element even when it does not decode.
                let element = try elements.superDecoder()
                let service = try ProblemCollector.recovering(nil) { try ServiceSpec(from: element) }
                if service == nil {
                    ProblemCollector.current?.skipService(at: index)
                }
                services.append(service ?? ServiceSpec(name: ""))
            }
            return services
        }
    }

    /// Returns the service named `name`.
    public func service(named name: String) -> ServiceSpec? {
        services.first { $0.name == name }
    }
}
