/// An API key of a consumer: the key itself, or its SHA-256 digest so that
/// the configuration does not contain the key.
public struct APIKeyCredential: Decodable, Sendable, Hashable {
    /// The key: 16 to 1,024 visible ASCII characters.
    public var key: String?
    /// The key's SHA-256 as 64 hexadecimal digits, optionally after
    /// `sha256:`. Compute it with `printf %s "$KEY" | sha256sum`.
    public var keyHash: String?

    public init(key: String? = nil, keyHash: String? = nil) {
        self.key = key
        self.keyHash = keyHash
    }

    static let minimumKeyLength = 16
    static let maximumKeyLength = 1024

    /// Returns the digest the gateway looks the key up by.
    func digest(field: String) throws(PolicyConfigurationError) -> SHA256Digest {
        switch (key, keyHash) {
        case (let key?, nil):
            let length = key.utf8.count
            guard (Self.minimumKeyLength...Self.maximumKeyLength).contains(length), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .secret(field: field + ".key", expected: "\(Self.minimumKeyLength) to \(Self.maximumKeyLength) visible ASCII characters")
            }
            return SHA256Digest(of: key)
        case (nil, let keyHash?):
            let hex = keyHash.hasPrefix("sha256:") ? keyHash.dropFirst("sha256:".count) : Substring(keyHash)
            guard let digest = SHA256Digest(hex: hex) else {
                throw PolicyConfigurationError(field: field + ".keyHash", value: keyHash, expected: "64 hexadecimal digits of SHA-256, optionally after sha256:")
            }
            return digest
        case (nil, nil):
            throw PolicyConfigurationError(field: field + ".key", value: nil, expected: "key or keyHash")
        case (.some, .some):
            throw .secret(field: field, expected: "either key or keyHash, not both")
        }
    }
}

/// A Basic authentication user of a consumer.
public struct BasicAuthCredential: Decodable, Sendable, Hashable {
    /// The user name: 1 to 256 characters without `:` or control characters
    /// (RFC 7617, section 2).
    public var username: String
    /// The password's crypt(3) hash; see `PasswordHash`.
    public var passwordHash: String

    public init(username: String, passwordHash: String) {
        self.username = username
        self.passwordHash = passwordHash
    }

    func validated(field: String) throws(PolicyConfigurationError) -> PasswordHash {
        let valid = username.unicodeScalars.allSatisfy { $0 != ":" && $0.value >= 0x20 && $0.value != 0x7F }
        guard valid, (1...256).contains(username.utf8.count) else {
            throw PolicyConfigurationError(field: field + ".username", value: username, expected: "1 to 256 characters without \":\" or control characters")
        }
        do {
            return try PasswordHash(passwordHash)
        } catch {
            throw .secret(field: field + ".passwordHash", expected: error.reason)
        }
    }
}

/// The tokens that identify a consumer: those of `issuer`, and, when set,
/// only those whose `sub` claim is `subject`.
public struct JWTCredential: Decodable, Sendable, Hashable {
    /// The `iss` claim, compared exactly.
    public var issuer: String
    /// The `sub` claim, compared exactly; nil for every subject of the issuer.
    public var subject: String?

    public init(issuer: String, subject: String? = nil) {
        self.issuer = issuer
        self.subject = subject
    }

    func validate(field: String) throws(PolicyConfigurationError) {
        guard !issuer.isEmpty else {
            throw PolicyConfigurationError(field: field + ".issuer", value: issuer, expected: "the issuer's iss claim, not empty")
        }
        if let subject, subject.isEmpty {
            throw PolicyConfigurationError(field: field + ".subject", value: subject, expected: "a sub claim, not empty; omit it for every subject")
        }
    }
}
