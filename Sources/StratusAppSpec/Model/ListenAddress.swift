/// An `ADDRESS:PORT` pair to listen on, with brackets around an IPv6
/// address: `127.0.0.1:8080`, `[::1]:0`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// The port; 0 picks a free port.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `ADDRESS:PORT`; nil without an address or with a port outside
    /// 0 to 65535.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
