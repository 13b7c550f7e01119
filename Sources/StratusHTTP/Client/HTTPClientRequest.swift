/// A request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute `http://` URL: `http://127.0.0.1:8080/v1/users?limit=10`.
    public var url: String
    public var headers: HTTPFields
    public var body: OutgoingBody

    public init(method: HTTPMethod = .get, url: String, headers: HTTPFields = [:], body: OutgoingBody = .empty) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The parts of an `http://` URL the client needs.
struct RequestTarget: Hashable, Sendable {
    var host: String
    var port: Int
    /// The path and query, the request target in origin form.
    var target: String

    /// The `Host` field value: the host, with the port unless it is 80.
    var hostField: String {
        let host = self.host.utf8.contains(UInt8(ascii: ":")) ? "[\(self.host)]" : self.host
        return port == 80 ? host : "\(host):\(port)"
    }

    init(host: String, port: Int, target: String) {
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses `http://host[:port][/path][?query]`. TLS is not supported, and
    /// the host must be numeric or `localhost`, since the client does no DNS.
    init(url: String) throws(HTTPClientError) {
        guard url.hasPrefix("http://") else {
            throw HTTPClientError(.invalidRequest, "unsupported URL \"\(url)\"; expected http://host:port/path")
        }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") {
            path = String(path[..<fragment])
        }
        if path.isEmpty || path.hasPrefix("?") {
            path = "/" + path
        }
        guard !authority.isEmpty, !authority.contains("@") else {
            throw HTTPClientError(.invalidRequest, "invalid host in URL \"\(url)\"")
        }
        var host = String(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPClientError(.invalidRequest, "unclosed IPv6 address in URL \"\(url)\"")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let parsed = Int(after.dropFirst()), (1...65535).contains(parsed) else {
                    throw HTTPClientError(.invalidRequest, "invalid port in URL \"\(url)\"")
                }
                port = parsed
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw HTTPClientError(.invalidRequest, "invalid port in URL \"\(url)\"; expected 1-65535")
            }
            port = parsed
        }
        guard path.utf8.allSatisfy({ ByteClass.target[Int($0)] }) else {
            throw HTTPClientError(.invalidRequest, "URL \"\(url)\" has a space, control or non-ASCII character in its path; percent-encode it")
        }
        self.host = host
        self.port = port
        target = path
    }
}
