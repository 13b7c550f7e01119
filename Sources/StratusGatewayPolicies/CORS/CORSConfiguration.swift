/// The `cors` plugin: cross-origin resource sharing (the Fetch standard's
/// CORS protocol), with the gateway responding to preflight requests.
///
/// ```yaml
/// plugins:
///   cors:
///     allowOrigins: ["https://app.example.com", "https://*.example.com"]
///     allowMethods: [GET, POST, PUT, DELETE]
///     allowHeaders: [Authorization, Content-Type]
///     exposeHeaders: [X-Request-Id]
///     allowCredentials: true
///     maxAge: 10m
/// ```
public struct CORSConfiguration: Decodable, Sendable, Hashable {
    /// Allowed origins: `scheme://host[:port]` exactly, `scheme://*.domain`
    /// for every subdomain of `domain` at any depth (not `domain` itself),
    /// or `*` for every origin. Required.
    public var allowOrigins: [String]
    /// Methods allowed in preflight requests, compared case-sensitively;
    /// `*` allows any. Default GET, HEAD, POST, PUT, PATCH and DELETE.
    public var allowMethods: [String]
    /// Request header fields allowed in preflight requests, compared
    /// ignoring case; `*` allows any. Default none.
    public var allowHeaders: [String]
    /// Response header fields that scripts may read. Default none.
    public var exposeHeaders: [String]
    /// Whether to send `Access-Control-Allow-Credentials: true`. Not
    /// allowed with the origin `*`. Default false.
    public var allowCredentials: Bool
    /// How long a browser may cache a preflight's result
    /// (`Access-Control-Max-Age`, whole seconds). Default 10 min, at most
    /// 24 h; browsers cap it lower (Chromium at 2 h).
    public var maxAge: Duration

    public init(
        allowOrigins: [String],
        allowMethods: [String] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        allowHeaders: [String] = [],
        exposeHeaders: [String] = [],
        allowCredentials: Bool = false,
        maxAge: Duration = .seconds(600)
    ) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.allowCredentials = allowCredentials
        self.maxAge = maxAge
    }

    private enum CodingKeys: String, CodingKey {
        case allowOrigins, allowMethods, allowHeaders, exposeHeaders, allowCredentials, maxAge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CORSConfiguration(allowOrigins: [])
        allowOrigins = try container.decode([String].self, forKey: .allowOrigins)
        allowMethods = try container.decode([String].self, forKey: .allowMethods, or: defaults.allowMethods)
        allowHeaders = try container.decode([String].self, forKey: .allowHeaders, or: [])
        exposeHeaders = try container.decode([String].self, forKey: .exposeHeaders, or: [])
        allowCredentials = try container.decode(Bool.self, forKey: .allowCredentials, or: false)
        maxAge = try container.decode(Duration.self, forKey: .maxAge, or: defaults.maxAge)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        guard !allowOrigins.isEmpty else {
            throw PolicyConfigurationError(field: "allowOrigins", value: nil, expected: "one or more origins such as https://app.example.com")
        }
        for (index, origin) in allowOrigins.enumerated() {
            let pattern = try OriginPattern(origin, field: "allowOrigins[\(index)]")
            if pattern == .any, allowCredentials {
                throw PolicyConfigurationError(
                    field: "allowOrigins[\(index)]", value: origin,
                    expected: "explicit origins when allowCredentials is true, because browsers reject * with credentials"
                )
            }
        }
        for (index, method) in allowMethods.enumerated() where method != "*" {
            try HeaderName.validate(method, field: "allowMethods[\(index)]")
        }
        for (index, name) in allowHeaders.enumerated() where name != "*" {
            try HeaderName.validate(name, field: "allowHeaders[\(index)]")
        }
        try HeaderName.validate(exposeHeaders, field: "exposeHeaders")
        guard maxAge >= .zero, maxAge <= .seconds(86_400) else {
            throw PolicyConfigurationError(field: "maxAge", value: "\(maxAge)", expected: "0s to 24h")
        }
    }
}
