import CCrypto

/// A JWS signature algorithm of RFC 7518, section 3, that the gateway
/// verifies. `none` has no case, so it can never be allowed.
public enum JWTAlgorithm: String, Sendable, Hashable, CaseIterable, Decodable {
    case hs256 = "HS256"
    case hs384 = "HS384"
    case hs512 = "HS512"
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case es256 = "ES256"
    case es384 = "ES384"

    /// The kind of key an algorithm needs. A key verifies only algorithms
    /// of its own family, which is what stops algorithm confusion: an
    /// HS256 token cannot be checked against an RSA public key used as an
    /// HMAC secret.
    enum Family: Sendable, Hashable {
        case hmac
        case rsa
        case ecdsa
    }

    var family: Family {
        switch self {
        case .hs256, .hs384, .hs512: .hmac
        case .rs256, .rs384, .rs512: .rsa
        case .es256, .es384: .ecdsa
        }
    }

    /// The SHA-2 digest of the algorithm.
    var digest: OpaquePointer {
        switch self {
        case .hs256, .rs256, .es256: EVP_sha256()
        case .hs384, .rs384, .es384: EVP_sha384()
        case .hs512, .rs512: EVP_sha512()
        }
    }

    /// The digest's length in bytes, also the shortest HMAC secret allowed
    /// (RFC 7518, section 3.2).
    var digestLength: Int {
        switch self {
        case .hs256, .rs256, .es256: 32
        case .hs384, .rs384, .es384: 48
        case .hs512, .rs512: 64
        }
    }

    /// For ECDSA: the curve (OpenSSL's name) and the length of R and of S.
    var curve: (name: String, componentLength: Int)? {
        switch self {
        case .es256: ("prime256v1", 32)
        case .es384: ("secp384r1", 48)
        default: nil
        }
    }
}
