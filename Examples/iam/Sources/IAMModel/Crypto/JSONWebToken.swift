import Foundation

/// A JSON Web Token in compact form (RFC 7519): a header and claims, both
/// JSON objects, signed with HMAC.
public struct JSONWebToken: Sendable {
    public var header: [String: JSONValue]
    public var claims: [String: JSONValue]
    /// The first two segments as sent, which the signature covers.
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    /// Splits and decodes `token` without checking its signature.
    public static func parse(_ token: Substring) throws(JSONWebTokenError) -> JSONWebToken {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed("token contains an invalid number of segments") }
        guard let headerBytes = Base64URL.decode(segments[0]), let claimBytes = Base64URL.decode(segments[1]),
              let signature = Base64URL.decode(segments[2])
        else { throw .malformed("illegal base64 data in the token") }
        guard let header = try? JSONCoding.decode([String: JSONValue].self, from: headerBytes) else {
            throw .malformed("the token header is not a JSON object")
        }
        guard let claims = try? JSONCoding.decode([String: JSONValue].self, from: claimBytes) else {
            throw .malformed("the token claims are not a JSON object")
        }
        let input = Array(token.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count))
        return JSONWebToken(header: header, claims: claims, signingInput: input, signature: signature)
    }

    /// The HMAC algorithm named by the header's `alg`, or nil for any other.
    public var hmacAlgorithm: HMACAlgorithm? {
        header["alg"]?.stringValue.flatMap(HMACAlgorithm.init(rawValue:))
    }

    /// Returns whether the signature is the MAC of the signing input under
    /// `key` with the header's algorithm.
    public func hasValidSignature(key: [UInt8]) -> Bool {
        guard let algorithm = hmacAlgorithm else { return false }
        return constantTimeEquals(algorithm.authenticate(signingInput, key: key), signature)
    }

    /// Checks `exp`, `iat` and `nbf` where present and numeric, as Go's
    /// jwt-go does: expired when now is after `exp`, invalid when now is
    /// before `iat` or `nbf`. Non-numeric values are not checked here.
    public func checkTimeClaims(now: Timestamp) throws(JSONWebTokenError) {
        let seconds = Double(now.unixSeconds)
        if let expiry = claims["exp"]?.numberValue, seconds > expiry {
            throw .expired
        }
        if let issued = claims["iat"]?.numberValue, seconds < issued {
            throw .usedBeforeIssued
        }
        if let notBefore = claims["nbf"]?.numberValue, seconds < notBefore {
            throw .notValidYet
        }
    }

    /// Returns a signed token with `header` (to which `alg` and `typ` are
    /// added) and `claims`. Keys are written in sorted order.
    public static func sign(
        claims: [String: JSONValue], key: [UInt8], algorithm: HMACAlgorithm = .sha256, header: [String: JSONValue] = [:]
    ) -> String {
        var fullHeader = header
        fullHeader["alg"] = .string(algorithm.rawValue)
        fullHeader["typ"] = .string("JWT")
        let input = Base64URL.encode(sortedJSON(fullHeader)) + "." + Base64URL.encode(sortedJSON(claims))
        let signature = algorithm.authenticate(Array(input.utf8), key: key)
        return input + "." + Base64URL.encode(signature)
    }

    private static func sortedJSON(_ object: [String: JSONValue]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(object))
        } catch {
            preconditionFailure("encoding JWT claims failed: \(error)")
        }
    }
}

/// The reason a token was rejected. The descriptions are the texts of Go's jwt-go,
/// which upstream puts in its session-token error bodies.
public enum JSONWebTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case invalidAlgorithm
    case invalidSignature
    case expired
    case usedBeforeIssued
    case notValidYet

    public var description: String {
        switch self {
        case .malformed(let text): text
        case .invalidAlgorithm: "invalid signing algorithm"
        case .invalidSignature: "signature is invalid"
        case .expired: "Token is expired"
        case .usedBeforeIssued: "Token used before issued"
        case .notValidYet: "Token is not valid yet"
        }
    }
}
