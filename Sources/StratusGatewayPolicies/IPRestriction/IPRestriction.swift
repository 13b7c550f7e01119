/// The decision of the `ipRestriction` policy for one client address.
///
/// An address in `deny` is rejected. Otherwise, with a non-empty `allow`,
/// only addresses in it pass. An unknown address (no peer address, or a
/// malformed forwarding header from a trusted proxy) is always rejected,
/// because it could be any address, also a denied one.
public struct IPRestriction: Sendable {
    public let allow: [CIDR]
    public let deny: [CIDR]

    public init(configuration: IPRestrictionConfiguration) throws(PolicyConfigurationError) {
        try configuration.validate()
        allow = try CIDR.parseList(configuration.allow, field: "allow")
        deny = try CIDR.parseList(configuration.deny, field: "deny")
    }

    /// Returns whether `address` may pass.
    public func permits(_ address: IPAddress?) -> Bool {
        guard let address else { return false }
        if deny.contains(where: { $0.contains(address) }) {
            return false
        }
        return allow.isEmpty || allow.contains { $0.contains(address) }
    }
}
