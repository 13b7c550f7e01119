/// A key that verifies token signatures: an HMAC secret, an RSA public key
/// or an elliptic-curve public key, with an optional key ID and algorithm.
///
/// A key verifies only algorithms of its own type (`JWTAlgorithm.Family`)
/// and, when it names an algorithm, only that one.
public struct VerificationKey: Sendable {
    enum Material: Sendable {
        case hmac(secret: [UInt8])
        case rsa(PublicKey)
        case ec(PublicKey, curve: String)
    }

    /// The `kid` that tokens name this key by.
    public let keyID: String?
    /// The only algorithm this key verifies, when set.
    public let algorithm: JWTAlgorithm?
    let material: Material

    init(keyID: String?, algorithm: JWTAlgorithm?, material: Material) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.material = material
    }

    /// The shortest HMAC secret accepted in configuration, in bytes: the
    /// digest length of HS256 (RFC 7518, section 3.2).
    static let minimumSecretLength = 32

    /// Makes a key from a PEM public key: RSA of 2,048 bits or more, or
    /// elliptic-curve on P-256 or P-384.
    public static func publicKey(pem: [UInt8], keyID: String? = nil, algorithm: JWTAlgorithm? = nil) throws(CryptoError) -> VerificationKey {
        let key = try PublicKey(pem: pem)
        switch key.kind {
        case .rsa:
            return VerificationKey(keyID: keyID, algorithm: algorithm, material: .rsa(key))
        case .ec(let curve):
            return VerificationKey(keyID: keyID, algorithm: algorithm, material: .ec(key, curve: curve))
        }
    }

    /// Makes an HMAC key. A secret shorter than an algorithm's digest never
    /// verifies that algorithm (RFC 7518, section 3.2).
    public static func hmacSecret(_ secret: [UInt8], keyID: String? = nil, algorithm: JWTAlgorithm? = nil) -> VerificationKey {
        VerificationKey(keyID: keyID, algorithm: algorithm, material: .hmac(secret: secret))
    }

    /// Returns whether this key may verify a token signed with `algorithm`.
    func supports(_ algorithm: JWTAlgorithm) -> Bool {
        if let own = self.algorithm, own != algorithm { return false }
        switch (material, algorithm.family) {
        case (.hmac(let secret), .hmac):
            return secret.count >= algorithm.digestLength
        case (.rsa, .rsa):
            return true
        case (.ec(_, let curve), .ecdsa):
            return curve == algorithm.curve?.name
        default:
            return false
        }
    }

    /// Verifies `signature` over `signingInput`; false when this key does
    /// not support `algorithm`.
    func verify(signature: [UInt8], signingInput: [UInt8], algorithm: JWTAlgorithm) -> Bool {
        guard supports(algorithm) else { return false }
        switch material {
        case .hmac(let secret):
            let expected = SignaturePrimitives.hmac(digest: algorithm.digest, key: secret, data: signingInput)
            return ConstantTime.equals(expected, signature)
        case .rsa(let key):
            return key.verify(signature: signature, data: signingInput, digest: algorithm.digest)
        case .ec(let key, _):
            guard let componentLength = algorithm.curve?.componentLength,
                let der = SignaturePrimitives.derECDSASignature(raw: signature, componentLength: componentLength)
            else { return false }
            return key.verify(signature: der, data: signingInput, digest: algorithm.digest)
        }
    }
}

/// The keys a route verifies tokens with.
public struct JWTKeySet: Sendable {
    public let keys: [VerificationKey]

    public init(keys: [VerificationKey]) {
        self.keys = keys
    }

    public static let empty = JWTKeySet(keys: [])

    /// Returns the keys that may verify a token with `algorithm` and
    /// `keyID`: those with that ID when the token names one, else all.
    func candidates(keyID: String?, algorithm: JWTAlgorithm) -> [VerificationKey] {
        keys.filter { key in
            guard key.supports(algorithm) else { return false }
            guard let keyID else { return true }
            return key.keyID == keyID
        }
    }

    /// Returns a set of these keys followed by `other`'s.
    func merged(with other: JWTKeySet) -> JWTKeySet {
        JWTKeySet(keys: keys + other.keys)
    }
}
