import StratusNet

/// The client URL of one etcd member, such as `http://127.0.0.1:2379`.
struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The URL without a trailing slash, to which request paths are appended.
    let url: String
    let host: String
    let port: Int

    var description: String { url }

    /// Parses `http://host:port` with a numeric IPv4 or IPv6 host or
    /// `localhost`, because the HTTP client resolves no names and speaks no TLS.
    init(parsing text: String) throws(StoreError) {
        let scheme = "http://"
        guard text.hasPrefix(scheme) else {
            throw Self.invalid(text, "expected http://host:port, such as http://127.0.0.1:2379 (https is not supported)")
        }
        var authority = text.dropFirst(scheme.count)
        if authority.hasSuffix("/") {
            authority = authority.dropLast()
        }
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("@") else {
            throw Self.invalid(text, "expected http://host:port without a path, query or user, such as http://127.0.0.1:2379")
        }
        guard !authority.hasPrefix(":"), let colon = authority.lastIndex(of: ":"), authority.index(after: colon) < authority.endIndex else {
            throw Self.invalid(text, "missing port: expected http://host:port, such as http://127.0.0.1:2379")
        }
        let address: SocketAddress
        do {
            address = try SocketAddress(parsing: String(authority))
        } catch {
            throw Self.invalid(text, "\(error.reason); expected http://host:port, such as http://127.0.0.1:2379")
        }
        guard address.port > 0 else {
            throw Self.invalid(text, "port 0 cannot be connected to; expected http://host:port with a port from 1 to 65535")
        }
        url = scheme + authority
        host = address.host
        port = address.port
    }

    private static func invalid(_ text: String, _ expectation: String) -> StoreError {
        StoreError(.invalidArgument, "invalid etcd endpoint \"\(text)\": \(expectation)")
    }
}
