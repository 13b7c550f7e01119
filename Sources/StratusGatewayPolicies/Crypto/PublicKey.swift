import CCrypto

/// An RSA or elliptic-curve public key in libcrypto (an `EVP_PKEY`), for
/// signature verification.
///
/// Thread safety: the key is immutable after creation, and OpenSSL 3
/// allows concurrent read-only use of one `EVP_PKEY`, such as verifying
/// signatures from several threads, hence `@unchecked Sendable`.
final class PublicKey: @unchecked Sendable {
    enum Kind: Hashable, Sendable {
        case rsa(bits: Int)
        /// An elliptic-curve key on the named curve (OpenSSL's name, such
        /// as `prime256v1` for P-256).
        case ec(curve: String)
    }

    private let key: OpaquePointer
    let kind: Kind

    /// The smallest RSA modulus accepted, in bits (NIST SP 800-131A
    /// disallows smaller keys for signatures since 2013).
    static let minimumRSABits = 2048

    /// Takes ownership of `key`, freeing it when it is not acceptable.
    private init(taking key: OpaquePointer) throws(CryptoError) {
        do {
            kind = try Self.kind(of: key)
        } catch {
            // The object is not fully initialized, so deinit will not run.
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
    }

    private static func kind(of key: OpaquePointer) throws(CryptoError) -> Kind {
        if EVP_PKEY_is_a(key, "RSA") == 1 {
            let bits = Int(EVP_PKEY_get_bits(key))
            guard bits >= minimumRSABits else {
                throw CryptoError("the RSA key has \(bits) bits; at least \(minimumRSABits) are required")
            }
            return .rsa(bits: bits)
        }
        guard EVP_PKEY_is_a(key, "EC") == 1 else {
            throw CryptoError("the key is neither RSA nor elliptic-curve")
        }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
            throw CryptoError("the elliptic-curve key has no named curve")
        }
        return .ec(curve: String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 7468, section 13).
    convenience init(pem: [UInt8]) throws(CryptoError) {
        let parsed: OpaquePointer? = pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let parsed else {
            ERR_clear_error()
            throw CryptoError("not a PEM public key; expected -----BEGIN PUBLIC KEY-----")
        }
        try self.init(taking: parsed)
    }

    /// Builds an RSA key from its modulus and public exponent, big-endian.
    convenience init(rsaModulus modulus: [UInt8], exponent: [UInt8]) throws(CryptoError) {
        let n = modulus.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let e = exponent.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        // The builder refers to the numbers until it makes the parameters,
        // which happens inside fromParameters.
        defer {
            BN_free(n)
            BN_free(e)
        }
        guard let n, let e else { throw CryptoError("BN_bin2bn failed") }
        let key = try Self.fromParameters(type: "RSA") { builder in
            OSSL_PARAM_BLD_push_BN(builder, cString("n"), n) == 1 && OSSL_PARAM_BLD_push_BN(builder, cString("e"), e) == 1
        }
        try self.init(taking: key)
    }

    /// Builds an elliptic-curve key on P-256 (`prime256v1`) or P-384
    /// (`secp384r1`) from the coordinates of its point, big-endian and each
    /// as long as the curve's field. The point must lie on the curve.
    convenience init(curve: String, x: [UInt8], y: [UInt8]) throws(CryptoError) {
        let group: StaticString
        switch curve {
        case "prime256v1": group = "prime256v1"
        case "secp384r1": group = "secp384r1"
        default: throw CryptoError("unsupported curve \(curve)")
        }
        let point = [0x04] + x + y
        let built = point.withUnsafeBytes { raw in
            Result { () throws(CryptoError) in
                try Self.fromParameters(type: "EC") { builder in
                    OSSL_PARAM_BLD_push_utf8_string(builder, cString("group"), cString(group), 0) == 1
                        && OSSL_PARAM_BLD_push_octet_string(builder, cString("pub"), raw.baseAddress, raw.count) == 1
                }
            }
        }
        try self.init(taking: try built.get())
    }

    /// Makes a public key of `type` from the parameters `push` adds, and
    /// checks it with EVP_PKEY_public_check.
    ///
    /// OSSL_PARAM_BLD keeps pointers to the names, numbers and buffers
    /// pushed until it makes the parameters, which happens before this
    /// returns: callers keep them alive for the call, and names are
    /// static strings.
    private static func fromParameters(type: StaticString, _ push: (OpaquePointer) -> Bool) throws(CryptoError) -> OpaquePointer {
        defer { ERR_clear_error() }
        guard let builder = OSSL_PARAM_BLD_new() else { throw CryptoError("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let parameters = OSSL_PARAM_BLD_to_param(builder) else {
            throw CryptoError("invalid \(type) key parameters")
        }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, cString(type), nil) else { throw CryptoError("no \(type) key support in libcrypto") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &key, stratus_evp_pkey_public_key_selection(), parameters) == 1,
            let key
        else {
            throw CryptoError("invalid \(type) key parameters")
        }
        guard let checkContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            EVP_PKEY_free(key)
            throw CryptoError("EVP_PKEY_CTX_new_from_pkey failed")
        }
        defer { EVP_PKEY_CTX_free(checkContext) }
        guard EVP_PKEY_public_check(checkContext) == 1 else {
            EVP_PKEY_free(key)
            throw CryptoError("the \(type) public key failed libcrypto's validity check")
        }
        return key
    }

    /// Verifies `signature` over `data` with `digest` (EVP_DigestVerify):
    /// RSASSA-PKCS1-v1_5 for RSA keys, DER-encoded ECDSA for EC keys.
    func verify(signature: [UInt8], data: [UInt8], digest: OpaquePointer) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, key) == 1 else { return false }
        return signature.withUnsafeBufferPointer { signatureBuffer in
            data.withUnsafeBufferPointer { dataBuffer in
                EVP_DigestVerify(context, signatureBuffer.baseAddress, signatureBuffer.count, dataBuffer.baseAddress, dataBuffer.count) == 1
            }
        }
    }
}

/// A libcrypto operation that failed, or a key it rejected, with the reason.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Returns a static string as a C string that stays valid for the life of
/// the process, for libcrypto calls that keep the pointer.
private func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
