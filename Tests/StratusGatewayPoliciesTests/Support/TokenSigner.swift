import CCrypto
import Foundation
@testable import StratusGatewayPolicies

/// Builds and signs tokens for tests, including malformed ones.
enum TokenSigner {
    /// Returns `base64url(header).base64url(claims).base64url(signature)`,
    /// signing the first two parts with `sign`.
    static func token(header: String, claims: String, sign: ([UInt8]) -> [UInt8]) -> String {
        let input = encode(header) + "." + encode(claims)
        return input + "." + Base64.encode(sign(Array(input.utf8)), alphabet: .url)
    }

    static func encode(_ json: String) -> String {
        Base64.encode(Array(json.utf8), alphabet: .url)
    }

    static func hmac(_ secret: [UInt8], algorithm: JWTAlgorithm = .hs256) -> ([UInt8]) -> [UInt8] {
        { SignaturePrimitives.hmac(digest: algorithm.digest, key: secret, data: $0) }
    }

    static func hmac(_ secret: String, algorithm: JWTAlgorithm = .hs256) -> ([UInt8]) -> [UInt8] {
        hmac(Array(secret.utf8), algorithm: algorithm)
    }

    /// Signs with a PEM private key: RSASSA-PKCS1-v1_5 for RSA, and for EC
    /// the JWS form (R and S of the curve's length each).
    static func privateKey(_ pem: [UInt8], algorithm: JWTAlgorithm) -> ([UInt8]) -> [UInt8] {
        { input in
            let der = signDER(pem: pem, digest: algorithm.digest, input: input)
            guard let curve = algorithm.curve else { return der }
            return rawECDSA(der: der, componentLength: curve.componentLength)
        }
    }

    private static func signDER(pem: [UInt8], digest: OpaquePointer, input: [UInt8]) -> [UInt8] {
        let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }!
        defer { EVP_PKEY_free(key) }
        let context = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(context) }
        precondition(EVP_DigestSignInit(context, nil, digest, nil, key) == 1)
        var length = 0
        precondition(EVP_DigestSign(context, nil, &length, input, input.count) == 1)
        var signature = [UInt8](repeating: 0, count: length)
        precondition(EVP_DigestSign(context, &signature, &length, input, input.count) == 1)
        return Array(signature.prefix(length))
    }

    private static func rawECDSA(der: [UInt8], componentLength: Int) -> [UInt8] {
        var cursor: UnsafePointer<UInt8>? = nil
        let signature = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }!
        defer { ECDSA_SIG_free(signature) }
        var r = [UInt8](repeating: 0, count: componentLength)
        var s = [UInt8](repeating: 0, count: componentLength)
        BN_bn2binpad(ECDSA_SIG_get0_r(signature), &r, Int32(componentLength))
        BN_bn2binpad(ECDSA_SIG_get0_s(signature), &s, Int32(componentLength))
        return r + s
    }

    /// Returns the JWK (RSA or EC) of a PEM public key.
    static func jwk(publicKeyPEM pem: [UInt8], kid: String?, alg: String? = nil) -> String {
        let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }!
        defer { EVP_PKEY_free(key) }
        var members: [String] = []
        if let kid { members.append("\"kid\":\"\(kid)\"") }
        if let alg { members.append("\"alg\":\"\(alg)\"") }
        if EVP_PKEY_is_a(key, "RSA") == 1 {
            members.append("\"kty\":\"RSA\"")
            members.append("\"n\":\"\(bignumParameter(key, "n"))\"")
            members.append("\"e\":\"\(bignumParameter(key, "e"))\"")
        } else {
            var point = [UInt8](repeating: 0, count: 200)
            var length = 0
            EVP_PKEY_get_octet_string_param(key, "pub", &point, point.count, &length)
            let coordinates = Array(point[1..<length])
            let half = coordinates.count / 2
            members.append("\"kty\":\"EC\"")
            members.append("\"crv\":\"\(half == 32 ? "P-256" : "P-384")\"")
            members.append("\"x\":\"\(Base64.encode(coordinates[..<half], alphabet: .url))\"")
            members.append("\"y\":\"\(Base64.encode(coordinates[half...], alphabet: .url))\"")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func bignumParameter(_ key: OpaquePointer, _ name: String) -> String {
        var number: OpaquePointer? = nil
        EVP_PKEY_get_bn_param(key, name, &number)
        defer { BN_free(number) }
        let length = (BN_num_bits(number) + 7) / 8
        var bytes = [UInt8](repeating: 0, count: Int(length))
        BN_bn2bin(number, &bytes)
        return Base64.encode(bytes, alphabet: .url)
    }
}
