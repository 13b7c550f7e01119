/// The `ipRestriction` plugin: allow or deny clients by address.
///
/// ```yaml
/// plugins:
///   ipRestriction:
///     allow: ["10.0.0.0/8", "2001:db8::/32"]
///     deny: ["10.6.6.0/24"]
/// ```
///
/// The client address comes from the gateway's `ClientAddressResolver`,
/// which reads the forwarding header only from trusted proxies.
public struct IPRestrictionConfiguration: Decodable, Sendable, Hashable {
    /// Addresses or blocks allowed; when non-empty, every other address is
    /// denied.
    public var allow: [String]
    /// Addresses or blocks denied, checked before `allow`.
    public var deny: [String]

    public init(allow: [String] = [], deny: [String] = []) {
        self.allow = allow
        self.deny = deny
    }

    private enum CodingKeys: String, CodingKey {
        case allow, deny
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allow = try container.decode([String].self, forKey: .allow, or: [])
        deny = try container.decode([String].self, forKey: .deny, or: [])
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        _ = try CIDR.parseList(allow, field: "allow")
        _ = try CIDR.parseList(deny, field: "deny")
        guard !allow.isEmpty || !deny.isEmpty else {
            throw PolicyConfigurationError(field: "allow", value: nil, expected: "at least one address in allow or deny")
        }
    }
}
