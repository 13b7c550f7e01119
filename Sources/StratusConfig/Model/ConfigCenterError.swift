/// An error of a config-center operation: a stable code, a message that
/// names the namespace, key or line at fault and what to do, and the parts
/// of that message as fields.
public struct ConfigCenterError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        /// A name, key, selector or request field is malformed.
        case invalidArgument = "invalid_argument"
        /// The content does not parse or fails the namespace's schema;
        /// `line` and `reason` say where and why. Nothing was published.
        case invalidContent = "invalid_content"
        case notFound = "not_found"
        /// The namespace changed in a way that blocks the operation, such
        /// as a publish while a gray release is in progress.
        case conflict
        /// The control plane has no secret key, or not the key that
        /// encrypted a value.
        case secretKeyUnavailable = "secret_key_unavailable"
        /// No control plane responded, or the store behind it failed.
        case unavailable
        /// The control plane sent a response this client cannot read.
        case invalidResponse = "invalid_response"
    }

    public let code: Code
    public let message: String
    public var namespace: NamespaceCoordinates?
    public var key: String?
    /// For `invalidContent`: the 1-based line and column of the problem,
    /// when it has a place in the text.
    public var line: Int?
    public var column: Int?
    /// For `invalidContent`: the problem without its place.
    public var reason: String?

    public init(
        _ code: Code,
        _ message: String,
        namespace: NamespaceCoordinates? = nil,
        key: String? = nil,
        line: Int? = nil,
        column: Int? = nil,
        reason: String? = nil
    ) {
        self.code = code
        self.message = message
        self.namespace = namespace
        self.key = key
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(message)" }

    package static func namespaceNotFound(_ namespace: NamespaceCoordinates) -> ConfigCenterError {
        ConfigCenterError(
            .notFound,
            "namespace \(namespace) does not exist; create it with `stratus config create --app \(namespace.application) --env \(namespace.environment) --namespace \(namespace.namespace)`",
            namespace: namespace
        )
    }
}

/// The JSON body of every config-center error response.
public struct ConfigErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
        public var application: String?
        public var environment: String?
        public var namespace: String?
        public var key: String?
        public var line: Int?
        public var column: Int?
        public var reason: String?
    }

    public var error: Detail

    public init(_ error: ConfigCenterError) {
        self.error = Detail(
            code: error.code.rawValue,
            message: error.message,
            application: error.namespace?.application,
            environment: error.namespace?.environment,
            namespace: error.namespace?.namespace,
            key: error.key,
            line: error.line,
            column: error.column,
            reason: error.reason
        )
    }

    /// The error this body describes; a code this client does not know
    /// becomes `invalidResponse`.
    public var configCenterError: ConfigCenterError {
        var namespace: NamespaceCoordinates?
        if let application = error.application, let environment = error.environment, let name = error.namespace {
            namespace = NamespaceCoordinates(application: application, environment: environment, namespace: name)
        }
        return ConfigCenterError(
            ConfigCenterError.Code(rawValue: error.code) ?? .invalidResponse,
            error.message,
            namespace: namespace,
            key: error.key,
            line: error.line,
            column: error.column,
            reason: error.reason
        )
    }
}
