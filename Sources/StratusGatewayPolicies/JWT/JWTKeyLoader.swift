import Foundation

/// Reads the configured keys and key set file into a key set, when the
/// `jwt` authenticator is built.
enum JWTKeyLoader {
    static func load(_ configuration: JWTConfiguration) throws(PolicyConfigurationError) -> JWTKeySet {
        var keys: [VerificationKey] = []
        for (index, key) in configuration.keys.enumerated() {
            keys.append(try load(key, field: "keys[\(index)]"))
        }
        if let path = configuration.jwksFile {
            let bytes = try read(path, field: "jwksFile")
            do {
                keys.append(contentsOf: try JWKSetParser(allowsSymmetricKeys: true).parse(bytes).keys)
            } catch {
                throw PolicyConfigurationError(field: "jwksFile", value: path, expected: "a JSON Web Key set; \(error.description)")
            }
        }
        return JWTKeySet(keys: keys)
    }

    private static func load(_ key: JWTKeyConfiguration, field: String) throws(PolicyConfigurationError) -> VerificationKey {
        if let path = key.publicKeyFile {
            do {
                return try VerificationKey.publicKey(pem: try read(path, field: field + ".publicKeyFile"), keyID: key.kid, algorithm: key.algorithm)
            } catch let error as CryptoError {
                throw PolicyConfigurationError(field: field + ".publicKeyFile", value: path, expected: "a PEM public key file; \(error.description)")
            } catch let error as PolicyConfigurationError {
                throw error
            } catch {
                throw PolicyConfigurationError(field: field + ".publicKeyFile", value: path, expected: "a PEM public key file; \(error)")
            }
        }
        let secret: [UInt8]
        if let path = key.secretFile {
            secret = try read(path, field: field + ".secretFile")
            guard secret.count >= VerificationKey.minimumSecretLength else {
                throw PolicyConfigurationError(field: field + ".secretFile", value: path, expected: "a secret of at least \(VerificationKey.minimumSecretLength) bytes")
            }
        } else {
            secret = Array((key.secret ?? "").utf8)
        }
        return VerificationKey(keyID: key.kid, algorithm: key.algorithm, material: .hmac(secret: secret))
    }

    private static func read(_ path: String, field: String) throws(PolicyConfigurationError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyConfigurationError(field: field, value: path, expected: "a readable file")
        }
        return Array(data)
    }
}
