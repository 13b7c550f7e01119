public import StratusHTTP

/// Finds a request's client address: the peer's address, or, when the peer
/// is a trusted proxy, the address that proxy put in the forwarding header.
///
/// The header (`X-Forwarded-For` by default) lists addresses left to right
/// as each proxy appended the one it received from. Any client can write
/// the leftmost entries, so the resolver walks from the right and returns
/// the first address that is not a trusted proxy, as nginx's
/// `real_ip_recursive on` does. When every entry is trusted it returns the
/// leftmost. It returns nil, which policies treat as an unknown client,
/// when the peer address is missing or unparsable, or when an entry it
/// reaches is not a plain address (a port, a name, `unknown`). The proxy
/// that wrote such an entry is trusted, so the entry is a fault to surface,
/// not a value to guess around.
///
/// With no trusted proxies, the header is ignored and the peer is the client.
public struct ClientAddressResolver: Sendable {
    public let trustedProxies: [CIDR]
    public let forwardedHeader: String

    public init(trustedProxies: [CIDR] = [], forwardedHeader: String = "X-Forwarded-For") {
        self.trustedProxies = trustedProxies
        self.forwardedHeader = forwardedHeader
    }

    /// Creates a resolver from its configuration.
    public init(_ configuration: TrustedProxiesConfiguration) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.init(
            trustedProxies: try CIDR.parseList(configuration.trustedProxies, field: "trustedProxies"),
            forwardedHeader: configuration.forwardedHeader
        )
    }

    /// Returns the client address of `request`, or nil when it is unknown.
    public func clientAddress(of request: Request, context: RequestContext) -> IPAddress? {
        guard let peerText = context.remoteAddress, let peer = IPAddress.parsePeer(peerText) else {
            return nil
        }
        guard isTrusted(peer) else { return peer }
        let entries = request.headers.values(for: forwardedHeader).flatMap { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingASCIISpaces() }
        }
        var leftmost = peer
        for entry in entries.reversed() {
            guard let address = IPAddress(entry) else { return nil }
            guard isTrusted(address) else { return address }
            leftmost = address
        }
        return leftmost
    }

    private func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}

/// The proxies whose forwarding header the gateway believes, shared by
/// every policy that uses the client address.
///
/// ```yaml
/// trustedProxies: ["10.0.0.0/8", "fd00::/8"]
/// forwardedHeader: X-Forwarded-For
/// ```
public struct TrustedProxiesConfiguration: Decodable, Sendable, Hashable {
    /// Addresses or blocks of the load balancers in front of the gateway.
    /// Default none: the peer is always the client.
    public var trustedProxies: [String]
    /// The header those proxies append the client's address to. Default
    /// `X-Forwarded-For`.
    public var forwardedHeader: String

    public init(trustedProxies: [String] = [], forwardedHeader: String = "X-Forwarded-For") {
        self.trustedProxies = trustedProxies
        self.forwardedHeader = forwardedHeader
    }

    private enum CodingKeys: String, CodingKey {
        case trustedProxies, forwardedHeader
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trustedProxies = try container.decodeIfPresent([String].self, forKey: .trustedProxies) ?? []
        forwardedHeader = try container.decodeIfPresent(String.self, forKey: .forwardedHeader) ?? "X-Forwarded-For"
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        _ = try CIDR.parseList(trustedProxies, field: "trustedProxies")
        try HeaderName.validate(forwardedHeader, field: "forwardedHeader")
    }
}
