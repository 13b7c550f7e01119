private import CCrypto

/// HMAC with SHA-256, SHA-384 or SHA-512, computed by OpenSSL's libcrypto.
public enum HMACAlgorithm: String, Sendable, CaseIterable {
    case sha256 = "HS256"
    case sha384 = "HS384"
    case sha512 = "HS512"

    /// Returns the MAC of `message` under `key`.
    public func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let digest: OpaquePointer? = switch self {
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        let result = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                // A zero-length buffer may have a nil base address, which
                // libcrypto reads as "no key"; one byte of storage avoids it.
                HMAC(digest, UnsafeRawPointer(keyBuffer.baseAddress) ?? UnsafeRawPointer(bitPattern: 1), Int32(keyBuffer.count),
                     messageBuffer.baseAddress, messageBuffer.count, &output, &length)
            }
        }
        precondition(result != nil, "HMAC-\(rawValue) failed in libcrypto")
        return Array(output.prefix(Int(length)))
    }
}

/// Compares two byte strings in time that depends only on their lengths.
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices {
        difference |= lhs[index] ^ rhs[index]
    }
    return difference == 0
}
