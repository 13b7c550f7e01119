/// The body of a user create or update. Read-only fields are type-checked
/// and ignored.
public struct UserInput: Sendable, Decodable {
    public var metadata: MetadataInput
    public var nickname: String
    public var password: String
    public var email: String
    public var phone: String
    public var isAdmin: Int

    public init(metadata: MetadataInput, nickname: String = "", password: String = "", email: String = "", phone: String = "", isAdmin: Int = 0) {
        self.metadata = metadata
        self.nickname = nickname
        self.password = password
        self.email = email
        self.phone = phone
        self.isAdmin = isAdmin
    }

    enum CodingKeys: String, CodingKey {
        case metadata, status, nickname, password, email, phone, isAdmin, totalPolicy, loginedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeMetadata(forKey: .metadata)
        _ = try container.decodeIfPresent(Int.self, forKey: .status)
        _ = try container.decodeIfPresent(Int64.self, forKey: .totalPolicy)
        _ = try container.decodeIfPresent(String.self, forKey: .loginedAt)
        nickname = try container.decodeIfPresent(String.self, forKey: .nickname) ?? ""
        password = try container.decodeIfPresent(String.self, forKey: .password) ?? ""
        email = try container.decodeIfPresent(String.self, forKey: .email) ?? ""
        phone = try container.decodeIfPresent(String.self, forKey: .phone) ?? ""
        isAdmin = try container.decodeIfPresent(Int.self, forKey: .isAdmin) ?? 0
    }
}
