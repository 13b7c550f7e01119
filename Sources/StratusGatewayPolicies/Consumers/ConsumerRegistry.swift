/// The consumers of the gateway, indexed by each kind of credential.
///
/// Built once from configuration and immutable: a configuration reload
/// builds a new registry and new middleware. API keys are indexed by their
/// SHA-256 digest, whose equality compares in constant time, so a lookup
/// does not reveal how much of a key matched.
public struct ConsumerRegistry: Sendable {
    public static let empty = ConsumerRegistry()

    private var byName: [String: GatewayConsumer] = [:]
    private var byKeyDigest: [SHA256Digest: GatewayConsumer] = [:]
    private var byBasicUsername: [String: (consumer: GatewayConsumer, hash: PasswordHash)] = [:]
    private var byIssuerSubject: [JWTSubjectKey: GatewayConsumer] = [:]

    /// The consumers in configuration order.
    public private(set) var consumers: [GatewayConsumer] = []

    /// Builds the registry, checking each consumer and that names, keys,
    /// Basic user names and JWT issuer and subject pairs are unique.
    public init(_ configurations: [ConsumerConfiguration]) throws(PolicyConfigurationError) {
        for (index, configuration) in configurations.enumerated() {
            try add(configuration, field: "consumers[\(index)]")
        }
    }

    /// Creates a registry without consumers.
    public init() {}

    /// Returns the consumer named `username`.
    public func consumer(named username: String) -> GatewayConsumer? {
        byName[username]
    }

    func consumer(forKey digest: SHA256Digest) -> GatewayConsumer? {
        byKeyDigest[digest]
    }

    func basicCredential(username: String) -> (consumer: GatewayConsumer, hash: PasswordHash)? {
        byBasicUsername[username]
    }

    /// Returns the consumer of an issuer and subject: the one configured
    /// for both, else the one configured for every subject of the issuer.
    func consumer(issuer: String, subject: String?) -> GatewayConsumer? {
        if let subject, let consumer = byIssuerSubject[JWTSubjectKey(issuer: issuer, subject: subject)] {
            return consumer
        }
        return byIssuerSubject[JWTSubjectKey(issuer: issuer, subject: nil)]
    }

    /// A setting of any Basic credential, for the work done on unknown users.
    var anyPasswordHash: PasswordHash? {
        byBasicUsername.values.first?.hash
    }

    private mutating func add(_ configuration: ConsumerConfiguration, field: String) throws(PolicyConfigurationError) {
        try Result.prefixing(field) { () throws(PolicyConfigurationError) in try configuration.validate() }.get()
        let consumer = GatewayConsumer(username: configuration.username, customID: configuration.customID, rateLimit: configuration.rateLimit)
        guard byName.updateValue(consumer, forKey: consumer.username) == nil else {
            throw PolicyConfigurationError(field: field + ".name", value: consumer.username, expected: "a name no other consumer has")
        }
        consumers.append(consumer)
        for (index, credential) in configuration.keyAuth.enumerated() {
            let digest = try credential.digest(field: "\(field).credentials.keyAuth[\(index)]")
            guard byKeyDigest.updateValue(consumer, forKey: digest) == nil else {
                throw .secret(field: "\(field).credentials.keyAuth[\(index)]", expected: "a key no other credential has")
            }
        }
        for (index, credential) in configuration.basicAuth.enumerated() {
            let hash = try credential.validated(field: "\(field).credentials.basicAuth[\(index)]")
            guard byBasicUsername.updateValue((consumer, hash), forKey: credential.username) == nil else {
                throw PolicyConfigurationError(field: "\(field).credentials.basicAuth[\(index)].username", value: credential.username, expected: "a user name no other credential has")
            }
        }
        for (index, credential) in configuration.jwt.enumerated() {
            let key = JWTSubjectKey(issuer: credential.issuer, subject: credential.subject)
            guard byIssuerSubject.updateValue(consumer, forKey: key) == nil else {
                let value = credential.subject.map { "\(credential.issuer) \($0)" } ?? credential.issuer
                throw PolicyConfigurationError(field: "\(field).credentials.jwt[\(index)]", value: value, expected: "an issuer and subject no other credential has")
            }
        }
    }
}

private struct JWTSubjectKey: Hashable {
    var issuer: String
    var subject: String?
}
