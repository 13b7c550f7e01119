/// One entry of `allowOrigins`.
enum OriginPattern: Hashable, Sendable {
    /// `*`: every origin.
    case any
    /// One origin, normalized: lowercase, without the scheme's default port.
    case exact(String)
    /// `scheme://*.domain[:port]`: every origin of that scheme and port whose
    /// host ends with `.domain`.
    case subdomains(scheme: String, domain: String, port: Int?)

    init(_ text: String, field: String) throws(PolicyConfigurationError) {
        if text == "*" {
            self = .any
            return
        }
        guard let origin = Origin(text) else {
            throw PolicyConfigurationError(field: field, value: text, expected: "*, scheme://host[:port] or scheme://*.domain with scheme http or https and no path")
        }
        if origin.host.hasPrefix("*.") {
            let domain = String(origin.host.dropFirst(2))
            guard !domain.isEmpty, !domain.contains("*") else {
                throw PolicyConfigurationError(field: field, value: text, expected: "a wildcard only as the first label, as in https://*.example.com")
            }
            self = .subdomains(scheme: origin.scheme, domain: domain, port: origin.port)
        } else {
            guard !origin.host.contains("*") else {
                throw PolicyConfigurationError(field: field, value: text, expected: "a wildcard only as the first label, as in https://*.example.com")
            }
            self = .exact(origin.serialized)
        }
    }

    /// Returns whether the request's `Origin` value matches.
    func matches(_ origin: Origin) -> Bool {
        switch self {
        case .any:
            return true
        case .exact(let serialized):
            return origin.serialized == serialized
        case .subdomains(let scheme, let domain, let port):
            guard origin.scheme == scheme, origin.port == port, origin.host.hasSuffix("." + domain) else { return false }
            return origin.host.utf8.count > domain.utf8.count + 1
        }
    }
}

/// An origin as browsers send it in `Origin`: `scheme://host[:port]`
/// (RFC 6454, section 6.2), parsed and normalized.
struct Origin: Hashable, Sendable {
    let scheme: String
    let host: String
    /// The port, nil when it is the scheme's default.
    let port: Int?

    /// Parses `text`, or returns nil for `null`, another scheme than http
    /// and https, user information, a path, a query or a bad port.
    init?(_ text: String) {
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let authority = lowered.dropFirst(scheme.count + 3)
        guard !authority.isEmpty, authority.utf8.allSatisfy(Self.isAuthorityCharacter) else { return nil }
        var host = Substring(authority)
        var port: Int?
        let portStart = authority.hasPrefix("[") ? authority.firstIndex(of: "]").map { authority.index(after: $0) } : authority.lastIndex(of: ":")
        if let portStart, portStart < authority.endIndex, authority[portStart] == ":" {
            let digits = authority[authority.index(after: portStart)...]
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(digits), (1...65535).contains(value) else { return nil }
            host = authority[..<portStart]
            port = value == (scheme == "https" ? 443 : 80) ? nil : value
        }
        guard !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
    }

    var serialized: String {
        port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    /// Letters, digits and `-._:[]*`: a host name, an IP literal, a port, or
    /// the wildcard label of a pattern.
    private static func isAuthorityCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("-._:[]*".utf8).contains(byte)
        }
    }
}
