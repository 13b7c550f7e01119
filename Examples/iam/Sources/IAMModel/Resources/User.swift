/// A user account. `passwordHash` is the bcrypt hash and is never encoded.
public struct User: Sendable, Hashable {
    public var metadata: ObjectMeta
    /// `1` enabled, `0` disabled. A disabled user cannot log in and is not
    /// found on user routes.
    public var status: Int
    public var nickname: String
    public var passwordHash: String
    public var email: String
    public var phone: String
    /// `1` for an administrator, else `0`.
    public var isAdmin: Int
    /// The number of policies the user owns.
    public var totalPolicy: Int64
    /// The last successful login; the creation time until the first one.
    public var loginedAt: Timestamp

    public init(
        metadata: ObjectMeta, status: Int = 1, nickname: String, passwordHash: String, email: String, phone: String = "",
        isAdmin: Int = 0, totalPolicy: Int64 = 0, loginedAt: Timestamp
    ) {
        self.metadata = metadata
        self.status = status
        self.nickname = nickname
        self.passwordHash = passwordHash
        self.email = email
        self.phone = phone
        self.isAdmin = isAdmin
        self.totalPolicy = totalPolicy
        self.loginedAt = loginedAt
    }

    public var name: String { metadata.name }
    public var isEnabled: Bool { status == 1 }
    public var isAdministrator: Bool { isAdmin == 1 }
}

extension User: Codable {
    enum CodingKeys: String, CodingKey {
        case metadata, status, nickname, email, phone, isAdmin, totalPolicy, loginedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        status = try container.decodeIfPresent(Int.self, forKey: .status) ?? 0
        nickname = try container.decodeIfPresent(String.self, forKey: .nickname) ?? ""
        passwordHash = ""
        email = try container.decodeIfPresent(String.self, forKey: .email) ?? ""
        phone = try container.decodeIfPresent(String.self, forKey: .phone) ?? ""
        isAdmin = try container.decodeIfPresent(Int.self, forKey: .isAdmin) ?? 0
        totalPolicy = try container.decodeIfPresent(Int64.self, forKey: .totalPolicy) ?? 0
        loginedAt = try container.decodeIfPresent(Timestamp.self, forKey: .loginedAt) ?? Timestamp(microseconds: 0)
    }

    /// Writes the user without its password hash, and without `isAdmin`
    /// when it is `0`, in upstream's field order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(status, forKey: .status)
        try container.encode(nickname, forKey: .nickname)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        if isAdmin != 0 { try container.encode(isAdmin, forKey: .isAdmin) }
        try container.encode(totalPolicy, forKey: .totalPolicy)
        try container.encode(loginedAt, forKey: .loginedAt)
    }
}
