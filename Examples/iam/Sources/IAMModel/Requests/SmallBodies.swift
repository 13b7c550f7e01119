/// The body of `POST /login`.
public struct LoginRequest: Sendable, Codable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decodeIfPresent(String.self, forKey: .username) ?? ""
        password = try container.decodeIfPresent(String.self, forKey: .password) ?? ""
    }
}

/// The response of `POST /login` and `POST /refresh`.
public struct LoginResponse: Sendable, Codable {
    /// The token's expiry in RFC 3339, whole seconds.
    public var expire: String
    public var token: String

    public init(expire: String, token: String) {
        self.expire = expire
        self.token = token
    }
}

/// The body of `PUT /v1/users/:name/change-password`.
public struct ChangePasswordRequest: Sendable, Codable {
    public var oldPassword: String
    public var newPassword: String

    public init(oldPassword: String, newPassword: String) {
        self.oldPassword = oldPassword
        self.newPassword = newPassword
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        oldPassword = try container.decodeIfPresent(String.self, forKey: .oldPassword) ?? ""
        newPassword = try container.decodeIfPresent(String.self, forKey: .newPassword) ?? ""
    }
}

/// The body of `POST /v1/authz`. An absent or null `context` is empty.
public struct AuthzRequest: Sendable, Codable, Hashable {
    public var subject: String
    public var action: String
    public var resource: String
    public var context: [String: JSONValue]

    public init(subject: String, action: String, resource: String, context: [String: JSONValue] = [:]) {
        self.subject = subject
        self.action = action
        self.resource = resource
        self.context = context
    }

    enum CodingKeys: String, CodingKey {
        case resource, action, subject, context
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? ""
        action = try container.decodeIfPresent(String.self, forKey: .action) ?? ""
        resource = try container.decodeIfPresent(String.self, forKey: .resource) ?? ""
        context = try container.decodeIfPresent([String: JSONValue].self, forKey: .context) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resource, forKey: .resource)
        try container.encode(action, forKey: .action)
        try container.encode(subject, forKey: .subject)
        try container.encode(context, forKey: .context)
    }
}

/// The response of `POST /v1/authz`: `denied` only when true, `reason` only
/// when not empty.
public struct AuthzResponse: Sendable, Codable, Hashable {
    public var allowed: Bool
    public var denied: Bool
    public var reason: String

    public init(allowed: Bool, denied: Bool = false, reason: String = "") {
        self.allowed = allowed
        self.denied = denied
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case allowed, denied, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowed = try container.decode(Bool.self, forKey: .allowed)
        denied = try container.decodeIfPresent(Bool.self, forKey: .denied) ?? false
        reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(allowed, forKey: .allowed)
        if denied { try container.encode(true, forKey: .denied) }
        if !reason.isEmpty { try container.encode(reason, forKey: .reason) }
    }
}
