public import StratusHTTP

/// Authenticates a request by an API key in a header field or a query
/// parameter, looked up by its SHA-256 digest among the consumers' keys.
///
/// A request with several different keys (two fields, or a field and a
/// parameter) is rejected, because it is unclear which one the client
/// meant. An empty key or one longer than 1,024 bytes is invalid.
public struct APIKeyAuthenticator: Authenticator {
    public let configuration: KeyAuthConfiguration
    private let consumers: ConsumerRegistry

    public init(configuration: KeyAuthConfiguration, consumers: ConsumerRegistry) throws(PolicyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.consumers = consumers
    }

    public var method: Authentication.Method { .keyAuth }

    public func challenge(for reason: PolicyFailureReason) -> String {
        // No standard scheme exists for API keys; "Key" is the name
        // gateways commonly use, and a 401 must carry some challenge.
        "Key " + .quotedRealm(configuration.realm)
    }

    public func authenticate(_ request: Request, context: RequestContext) async -> AuthenticationResult {
        var keys: [String] = []
        for name in configuration.headerNames {
            keys.append(contentsOf: request.headers.values(for: name))
        }
        let queryNames = Set(configuration.queryParameterNames)
        if !queryNames.isEmpty {
            keys.append(contentsOf: request.queryParameters.filter { queryNames.contains($0.name) }.map(\.value))
        }
        guard let key = keys.first else { return .noCredential }
        guard keys.allSatisfy({ $0 == key }) else {
            return .rejected(.invalidCredentials, detail: "several different keys")
        }
        guard !key.isEmpty, key.utf8.count <= APIKeyCredential.maximumKeyLength else {
            return .rejected(.invalidCredentials, detail: "empty or oversized key")
        }
        guard let consumer = consumers.consumer(forKey: SHA256Digest(of: key)) else {
            return .rejected(.invalidCredentials, detail: "unknown key")
        }
        return .authenticated(consumer.authenticated(by: .keyAuth), request: forwardedRequest(request, queryNames: queryNames))
    }

    /// Returns `request` without the key's query parameters and, when
    /// credentials are hidden, without its header fields.
    private func forwardedRequest(_ request: Request, queryNames: Set<String>) -> Request {
        var forwarded = request
        if configuration.hideCredentials {
            for name in configuration.headerNames {
                forwarded.headers.remove(name)
            }
        }
        if !queryNames.isEmpty {
            forwarded.head.target = QueryRewriter.removing(queryNames, from: request)
        }
        return forwarded
    }
}

/// Rewrites request targets.
enum QueryRewriter {
    /// Returns the target of `request` without the query parameters named
    /// in `names` (compared after percent-decoding), keeping the others as
    /// written and in order, and dropping the `?` when none is left.
    static func removing(_ names: Set<String>, from request: Request) -> String {
        guard let query = request.query else { return request.head.target }
        let raw = query.split(separator: "&", omittingEmptySubsequences: true)
        let decoded = request.queryParameters
        // queryParameters splits the query the same way, so the two lists
        // line up element by element.
        let kept = zip(raw, decoded).filter { !names.contains($0.1.name) }.map(\.0)
        let path = String(request.path)
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }
}
