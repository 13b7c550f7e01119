/// A secret: a key pair a user signs access tokens with. The authorization
/// server finds the secret by `secretID` (the token's `kid`) and verifies
/// the token with `secretKey` as the HMAC key.
public struct Secret: Sendable, Hashable, Codable {
    public var metadata: ObjectMeta
    /// The owner.
    public var username: String
    public var secretID: String
    public var secretKey: String
    /// Unix seconds after which the secret stops working; `0` means never.
    public var expires: Int64
    public var description: String

    public init(metadata: ObjectMeta, username: String, secretID: String, secretKey: String, expires: Int64 = 0, description: String = "") {
        self.metadata = metadata
        self.username = username
        self.secretID = secretID
        self.secretKey = secretKey
        self.expires = expires
        self.description = description
    }

    public var name: String { metadata.name }

    /// Whether the secret has stopped working at `now`.
    public func isExpired(at now: Timestamp) -> Bool {
        expires >= 1 && now.unixSeconds > expires
    }
}
