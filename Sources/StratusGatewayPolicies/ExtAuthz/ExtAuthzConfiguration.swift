/// The `extAuthz` plugin: ask an authorization service whether to let each
/// request through.
///
/// ```yaml
/// plugins:
///   extAuthz:
///     service: iam-authz           # or url: "http://127.0.0.1:9100/authorize"
///     path: /v1/authorize
///     forwardHeaders: [Authorization, X-Tenant]
///     upstreamHeaders: [X-User-Id, X-User-Roles]
///     timeout: 500ms
///     failOpen: false
///     cacheTTL: 5s
/// ```
public struct ExtAuthzConfiguration: Decodable, Sendable, Hashable {
    /// The `http://` URL the check is posted to.
    public var url: String?
    /// A service name that the gateway resolves to an instance's base URL;
    /// the check goes to that URL plus `path`. Exactly one of `url` and
    /// `service` is set.
    public var service: String?
    /// The path on the resolved service. Default `/authorize`.
    public var path: String
    /// The request header fields sent to the service. Default `Authorization`.
    public var forwardHeaders: [String]
    /// Header fields copied from an allowing response to the upstream
    /// request. The client's own fields of these names are always removed.
    public var upstreamHeaders: [String]
    /// The time allowed for one check, from connecting to the last byte of
    /// the response. Default 1 s.
    public var timeout: Duration
    /// Whether a failed check (unreachable, timed out, a status other than
    /// 200, 401 and 403) lets the request through. Default false.
    public var failOpen: Bool
    /// The status of a failed check when not failing open. Default 403.
    public var statusOnError: Int
    /// How long a decision is reused for a request with the same method,
    /// path, query, forwarded fields, client address and consumer. Default
    /// 5 s; 0 disables the cache. Failures are never cached.
    public var cacheTTL: Duration
    /// The maximum number of decisions cached. Default 10,000.
    public var cacheSize: Int
    /// The realm of the `WWW-Authenticate` challenge on a 401 from the
    /// service without its own challenge. Default `stratus`.
    public var realm: String

    public init(
        url: String? = nil,
        service: String? = nil,
        path: String = "/authorize",
        forwardHeaders: [String] = ["Authorization"],
        upstreamHeaders: [String] = [],
        timeout: Duration = .seconds(1),
        failOpen: Bool = false,
        statusOnError: Int = 403,
        cacheTTL: Duration = .seconds(5),
        cacheSize: Int = 10_000,
        realm: String = "stratus"
    ) {
        self.url = url
        self.service = service
        self.path = path
        self.forwardHeaders = forwardHeaders
        self.upstreamHeaders = upstreamHeaders
        self.timeout = timeout
        self.failOpen = failOpen
        self.statusOnError = statusOnError
        self.cacheTTL = cacheTTL
        self.cacheSize = cacheSize
        self.realm = realm
    }

    private enum CodingKeys: String, CodingKey {
        case url, service, path, forwardHeaders, upstreamHeaders, timeout, failOpen, statusOnError, cacheTTL, cacheSize, realm
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ExtAuthzConfiguration()
        url = try container.decodeIfPresent(String.self, forKey: .url)
        service = try container.decodeIfPresent(String.self, forKey: .service)
        path = try container.decode(String.self, forKey: .path, or: defaults.path)
        forwardHeaders = try container.decode([String].self, forKey: .forwardHeaders, or: defaults.forwardHeaders)
        upstreamHeaders = try container.decode([String].self, forKey: .upstreamHeaders, or: [])
        timeout = try container.decode(Duration.self, forKey: .timeout, or: defaults.timeout)
        failOpen = try container.decode(Bool.self, forKey: .failOpen, or: false)
        statusOnError = try container.decode(Int.self, forKey: .statusOnError, or: defaults.statusOnError)
        cacheTTL = try container.decode(Duration.self, forKey: .cacheTTL, or: defaults.cacheTTL)
        cacheSize = try container.decode(Int.self, forKey: .cacheSize, or: defaults.cacheSize)
        realm = try container.decode(String.self, forKey: .realm, or: defaults.realm)
        try validate()
    }

    /// Checks every field, throwing an error that names the first invalid one.
    public func validate() throws(PolicyConfigurationError) {
        switch (url, service) {
        case (let url?, nil):
            guard url.hasPrefix("http://") else {
                throw PolicyConfigurationError(field: "url", value: url, expected: "an http:// URL")
            }
        case (nil, let service?):
            guard !service.isEmpty else {
                throw PolicyConfigurationError(field: "service", value: service, expected: "a service name")
            }
            guard path.hasPrefix("/") else {
                throw PolicyConfigurationError(field: "path", value: path, expected: "a path starting with /")
            }
        default:
            throw PolicyConfigurationError(field: "url", value: nil, expected: "exactly one of url and service")
        }
        try HeaderName.validate(forwardHeaders, field: "forwardHeaders")
        try HeaderName.validate(upstreamHeaders, field: "upstreamHeaders")
        guard timeout > .zero else {
            throw PolicyConfigurationError(field: "timeout", value: "\(timeout)", expected: "a positive duration such as 500ms")
        }
        guard (400...599).contains(statusOnError) else {
            throw PolicyConfigurationError(field: "statusOnError", value: "\(statusOnError)", expected: "a status from 400 to 599")
        }
        guard cacheTTL >= .zero else {
            throw PolicyConfigurationError(field: "cacheTTL", value: "\(cacheTTL)", expected: "0 or more")
        }
        guard cacheSize >= 0 else {
            throw PolicyConfigurationError(field: "cacheSize", value: "\(cacheSize)", expected: "0 or more")
        }
        try Realm.validate(realm)
    }
}
