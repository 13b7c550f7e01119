/// Parses JSON Web Key sets (RFC 7517, section 5) into verification keys.
///
/// Accepted keys: `RSA` (`n`, `e`), `EC` on P-256 or P-384 (`crv`, `x`,
/// `y`), and, only when `allowsSymmetricKeys`, `oct` (`k`) of at least 32
/// bytes. A key is skipped, with the reason recorded, when its type or
/// curve is unsupported, its `use` is not `sig`, its `key_ops` lack
/// `verify`, its `alg` is not a supported algorithm, or its parameters are
/// invalid. Skipping lets a set that also publishes encryption keys or
/// newer algorithms still work.
struct JWKSetParser {
    /// The maximum number of keys read from one set; a larger set is rejected.
    static let maxKeys = 100

    let allowsSymmetricKeys: Bool

    struct Output {
        var keys: [VerificationKey]
        /// One line per skipped key, such as `keys[2]: unsupported kty "OKP"`.
        var skipped: [String]
    }

    struct InvalidSet: Error, CustomStringConvertible {
        let description: String
    }

    func parse(_ bytes: [UInt8]) throws(InvalidSet) -> Output {
        let document: JSONValue
        do {
            document = try StrictJSONParser.parse(bytes)
        } catch {
            throw InvalidSet(description: "\(error)")
        }
        guard let entries = document.objectValue?["keys"]?.arrayValue else {
            throw InvalidSet(description: "expected an object with a \"keys\" array")
        }
        guard entries.count <= Self.maxKeys else {
            throw InvalidSet(description: "the set has \(entries.count) keys; at most \(Self.maxKeys) are read")
        }
        var output = Output(keys: [], skipped: [])
        for (index, entry) in entries.enumerated() {
            switch parseKey(entry) {
            case .success(let key): output.keys.append(key)
            case .failure(let reason): output.skipped.append("keys[\(index)]: \(reason.description)")
            }
        }
        return output
    }

    private func parseKey(_ entry: JSONValue) -> Result<VerificationKey, InvalidSet> {
        Result { () throws(InvalidSet) in
            guard let members = entry.objectValue else { throw InvalidSet(description: "not an object") }
            let keyID = try optionalString(members, "kid")
            let algorithm = try parseAlgorithm(members)
            try checkUse(members)
            let material = try parseMaterial(members)
            return VerificationKey(keyID: keyID, algorithm: algorithm, material: material)
        }
    }

    private func parseAlgorithm(_ members: [String: JSONValue]) throws(InvalidSet) -> JWTAlgorithm? {
        guard let name = try optionalString(members, "alg") else { return nil }
        guard let algorithm = JWTAlgorithm(rawValue: name) else {
            throw InvalidSet(description: "unsupported alg \"\(name)\"")
        }
        return algorithm
    }

    private func checkUse(_ members: [String: JSONValue]) throws(InvalidSet) {
        if let use = try optionalString(members, "use"), use != "sig" {
            throw InvalidSet(description: "use \"\(use)\" is not sig")
        }
        if let operations = members["key_ops"] {
            guard let list = operations.arrayValue, list.contains(.string("verify")) else {
                throw InvalidSet(description: "key_ops does not contain verify")
            }
        }
    }

    private func parseMaterial(_ members: [String: JSONValue]) throws(InvalidSet) -> VerificationKey.Material {
        let type = try requiredString(members, "kty")
        do {
            switch type {
            case "RSA":
                let key = try PublicKey(rsaModulus: try bytes(members, "n"), exponent: try bytes(members, "e"))
                return .rsa(key)
            case "EC":
                return try parseEC(members)
            case "oct" where allowsSymmetricKeys:
                let secret = try bytes(members, "k")
                guard secret.count >= VerificationKey.minimumSecretLength else {
                    throw InvalidSet(description: "the oct key has \(secret.count) bytes; at least \(VerificationKey.minimumSecretLength) are required")
                }
                return .hmac(secret: secret)
            default:
                throw InvalidSet(description: "unsupported kty \"\(type)\"")
            }
        } catch let error as CryptoError {
            throw InvalidSet(description: error.description)
        } catch let error as InvalidSet {
            throw error
        } catch {
            throw InvalidSet(description: "\(error)")
        }
    }

    private func parseEC(_ members: [String: JSONValue]) throws -> VerificationKey.Material {
        let curveName = try requiredString(members, "crv")
        let curve: (name: String, length: Int)
        switch curveName {
        case "P-256": curve = ("prime256v1", 32)
        case "P-384": curve = ("secp384r1", 48)
        default: throw InvalidSet(description: "unsupported crv \"\(curveName)\"")
        }
        let x = try bytes(members, "x")
        let y = try bytes(members, "y")
        // RFC 7518, section 6.2.1.2: each coordinate has the full length of
        // the curve's field, leading zeros included.
        guard x.count == curve.length, y.count == curve.length else {
            throw InvalidSet(description: "x and y of a \(curveName) key must have \(curve.length) bytes each")
        }
        return .ec(try PublicKey(curve: curve.name, x: x, y: y), curve: curve.name)
    }

    private func optionalString(_ members: [String: JSONValue], _ name: String) throws(InvalidSet) -> String? {
        guard let value = members[name] else { return nil }
        guard let text = value.stringValue else { throw InvalidSet(description: "\(name) is not a string") }
        return text
    }

    private func requiredString(_ members: [String: JSONValue], _ name: String) throws(InvalidSet) -> String {
        guard let text = try optionalString(members, name) else { throw InvalidSet(description: "missing \(name)") }
        return text
    }

    private func bytes(_ members: [String: JSONValue], _ name: String) throws(InvalidSet) -> [UInt8] {
        guard let decoded = Base64.decode(try requiredString(members, name), alphabet: .url), !decoded.isEmpty else {
            throw InvalidSet(description: "\(name) is not non-empty base64url")
        }
        return decoded
    }
}
