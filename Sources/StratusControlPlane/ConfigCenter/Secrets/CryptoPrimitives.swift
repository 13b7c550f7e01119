private import CCrypto
import StratusConfig

/// The libcrypto calls the config center makes: SHA-256, random bytes and
/// AES-256-GCM, each failure thrown with the call that failed.
enum CryptoPrimitives {
    static let nonceSize = 12
    static let tagSize = 16

    static func sha256(_ bytes: [UInt8]) throws(ConfigCenterError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        guard result == 1 else { throw failure("EVP_Digest") }
        return digest
    }

    static func randomBytes(_ count: Int) throws(ConfigCenterError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw failure("RAND_bytes") }
        return bytes
    }

    /// Encrypts and returns the ciphertext followed by the tag.
    static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], authenticating aad: [UInt8]) throws(ConfigCenterError) -> [UInt8] {
        let context = try makeContext()
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
              EVP_EncryptInit_ex(context, nil, nil, key, nonce) == 1 else {
            throw failure("EVP_EncryptInit_ex")
        }
        var length: Int32 = 0
        guard aad.isEmpty || EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else {
            throw failure("EVP_EncryptUpdate")
        }
        var output = [UInt8](repeating: 0, count: plaintext.count + tagSize)
        var written: Int32 = 0
        guard plaintext.isEmpty || EVP_EncryptUpdate(context, &output, &written, plaintext, Int32(plaintext.count)) == 1 else {
            throw failure("EVP_EncryptUpdate")
        }
        // GCM writes no bytes at the end, but the call computes the tag.
        let finished = output.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(written), &length)
        }
        guard finished == 1 else { throw failure("EVP_EncryptFinal_ex") }
        var tag = [UInt8](repeating: 0, count: tagSize)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), &tag) == 1 else {
            throw failure("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)")
        }
        return Array(output.prefix(plaintext.count)) + tag
    }

    /// Decrypts ciphertext followed by its tag; nil when the tag does not
    /// verify: the wrong key, a changed ciphertext, or different `aad`.
    static func open(_ sealed: [UInt8], key: [UInt8], nonce: [UInt8], authenticating aad: [UInt8]) throws(ConfigCenterError) -> [UInt8]? {
        guard sealed.count >= tagSize, nonce.count == nonceSize else { return nil }
        let ciphertext = Array(sealed.dropLast(tagSize))
        var tag = Array(sealed.suffix(tagSize))
        let context = try makeContext()
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
              EVP_DecryptInit_ex(context, nil, nil, key, nonce) == 1 else {
            throw failure("EVP_DecryptInit_ex")
        }
        var length: Int32 = 0
        guard aad.isEmpty || EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else {
            throw failure("EVP_DecryptUpdate")
        }
        var output = [UInt8](repeating: 0, count: ciphertext.count + tagSize)
        var written: Int32 = 0
        guard ciphertext.isEmpty || EVP_DecryptUpdate(context, &output, &written, ciphertext, Int32(ciphertext.count)) == 1 else {
            throw failure("EVP_DecryptUpdate")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &tag) == 1 else {
            throw failure("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_TAG)")
        }
        var finalLength: Int32 = 0
        let verified = output.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress! + Int(written), &finalLength)
        }
        guard verified == 1 else { return nil }
        return Array(output.prefix(ciphertext.count))
    }

    private static func makeContext() throws(ConfigCenterError) -> OpaquePointer {
        guard let context = EVP_CIPHER_CTX_new() else { throw failure("EVP_CIPHER_CTX_new") }
        return context
    }

    /// The error of a failed libcrypto call, with OpenSSL's reason for it.
    private static func failure(_ call: String) -> ConfigCenterError {
        let code = ERR_get_error()
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return ConfigCenterError(.unavailable, "libcrypto \(call) failed: \(reason)")
    }
}
