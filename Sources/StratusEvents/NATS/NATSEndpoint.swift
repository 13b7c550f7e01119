/// A NATS server address parsed from `nats://host:port`.
struct NATSEndpoint: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    /// The port NATS servers listen on unless told otherwise.
    static let defaultPort = 4222

    init(url: String) throws(EventBusError) {
        let expected = "nats://host:port with a numeric host or localhost"
        guard url.hasPrefix("nats://") else {
            throw .invalid("NATS URL", url, expected: expected)
        }
        let authority = url.dropFirst("nats://".count).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard !authority.isEmpty, !authority.contains("@") else {
            throw .invalid("NATS URL", url, expected: expected + " (credentials in the URL are not supported)")
        }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port) else {
                throw .invalid("port in NATS URL", url, expected: "1 to 65535")
            }
            host = String(authority[..<colon])
            self.port = port
        } else {
            host = String(authority)
            port = Self.defaultPort
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        if host == "localhost" {
            host = "127.0.0.1"
        }
    }

    var description: String { "nats://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
