import CCrypto

/// HMAC and ECDSA signature encodings from libcrypto.
enum SignaturePrimitives {
    /// Returns HMAC(`key`, `data`) with `digest` (RFC 2104).
    static func hmac(digest: OpaquePointer, key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            data.withUnsafeBufferPointer { dataBuffer in
                _ = HMAC(digest, keyBuffer.baseAddress, Int32(keyBuffer.count), dataBuffer.baseAddress, dataBuffer.count, &output, &length)
            }
        }
        return Array(output.prefix(Int(length)))
    }

    /// Converts a JWS ECDSA signature, R and S as fixed-length big-endian
    /// integers side by side (RFC 7518, section 3.4), to the DER
    /// `ECDSA-Sig-Value` that libcrypto verifies. Returns nil when the
    /// length is not twice `componentLength`.
    static func derECDSASignature(raw: [UInt8], componentLength: Int) -> [UInt8]? {
        guard raw.count == 2 * componentLength, let signature = ECDSA_SIG_new() else { return nil }
        defer {
            ECDSA_SIG_free(signature)
            ERR_clear_error()
        }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(componentLength), nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + componentLength, Int32(componentLength), nil) }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }
}
