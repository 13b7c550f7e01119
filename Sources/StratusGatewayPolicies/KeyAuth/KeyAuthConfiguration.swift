/// The `keyAuth` plugin: authenticate with an API key that a consumer has.
///
/// ```yaml
/// plugins:
///   keyAuth:
///     headerNames: [apikey, X-API-Key]
///     queryParameterNames: [apikey]
///     hideCredentials: true
///     anonymous: guest
/// ```
public struct KeyAuthConfiguration: Decodable, Sendable, Hashable {
    /// The header fields a key may arrive in, in the order they are read.
    /// Default `apikey` and `X-API-Key`.
    public var headerNames: [String]
    /// The query parameters a key may arrive in. Default none: a key in a
    /// URL ends up in browser histories and in the logs of every proxy on
    /// the way. Parameters of these names are always removed from the
    /// forwarded query.
    public var queryParameterNames: [String]
    /// Whether to remove the key's header fields from the forwarded
    /// request. Default true: upstreams learn the consumer from
    /// `X-Consumer-Username` and never need the key.
    public var hideCredentials: Bool
    /// The consumer that requests without a key get; nil (the default)
    /// rejects them with 401.
    public var anonymous: String?
    /// The realm of the `WWW-Authenticate: Key` challenge. Default `stratus`.
    public var realm: String

    public init(
        headerNames: [String] = ["apikey", "X-API-Key"],
        queryParameterNames: [String] = [],
        hideCredentials: Bool = true,
        anonymous: String? = nil,
        realm: String = "stratus"
    ) {
        self.headerNames = headerNames
        self.queryParameterNames = queryParameterNames
        self.hideCredentials = hideCredentials
        self.anonymous = anonymous
        self.realm = realm
    }

    private enum CodingKeys: String, CodingKey {
        case headerNames, queryParameterNames, hideCredentials, anonymous, realm
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        headerNames = try container.decode([String].self, forKey: .headerNames, or: ["apikey", "X-API-Key"])
        queryParameterNames = try container.decode([String].self, forKey: .queryParameterNames, or: [])
        hideCredentials = try container.decode(Bool.self, forKey: .hideCredentials, or: true)
        anonymous = try container.decodeIfPresent(String.self, forKey: .anonymous)
        realm = try container.decode(String.self, forKey: .realm, or: "stratus")
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        try HeaderName.validate(headerNames, field: "headerNames")
        for (index, name) in queryParameterNames.enumerated() where name.isEmpty || name.contains("&") || name.contains("=") {
            throw PolicyConfigurationError(field: "queryParameterNames[\(index)]", value: name, expected: "a query parameter name without & or =")
        }
        guard !headerNames.isEmpty || !queryParameterNames.isEmpty else {
            throw PolicyConfigurationError(field: "headerNames", value: "[]", expected: "at least one header or query parameter name")
        }
        try Realm.validate(realm)
    }
}
