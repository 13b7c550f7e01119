import StratusHTTP

/// Writes `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host` and
/// `Forwarded` (RFC 7239) for the upstream, and finds the client's address.
///
/// The fields a client sends are kept and extended only when the peer is
/// a trusted proxy (`settings.trustedProxies`). From any other peer they
/// are replaced, since a client could otherwise claim any address.
struct ForwardingHeaders: Sendable {
    let trustedProxies: [CIDRBlock]

    /// Returns the host of a `host:port` or `[host]:port` peer address.
    static func host(ofPeer address: String) -> String {
        let bytes = address.utf8
        if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
            return String(address[bytes.index(after: bytes.startIndex)..<close])
        }
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), !bytes[..<colon].contains(UInt8(ascii: ":")) else { return address }
        return String(address[..<colon])
    }

    func isTrusted(_ address: String) -> Bool {
        guard !trustedProxies.isEmpty, let bytes = IPAddressBytes.parse(address) else { return false }
        return trustedProxies.contains { $0.contains(bytes) }
    }

    /// Returns the client's address: the peer's, or behind trusted proxies
    /// the right-most address of `X-Forwarded-For` that is not a trusted proxy.
    func clientAddress(peer: String, headers: HTTPFields) -> String {
        guard isTrusted(peer) else { return peer }
        let chain = headers.values(for: "X-Forwarded-For").flatMap { $0.split(separator: ",") }.map { String($0.trimmingASCIISpacesAndTabs()) }
        for address in chain.reversed() where !isTrusted(address) {
            return IPAddressBytes.parse(address) != nil ? address : peer
        }
        return chain.first ?? peer
    }

    /// Sets the forwarding fields of `headers` for a request from `peer`
    /// with the client's `host` value.
    func apply(to headers: inout HTTPFields, peer: String, host: String?) {
        let trusted = isTrusted(peer)
        let forwardedFor = headers.values(for: "X-Forwarded-For").joined(separator: ", ")
        headers.set("X-Forwarded-For", trusted && !forwardedFor.isEmpty ? "\(forwardedFor), \(peer)" : peer)
        if !(trusted && headers.contains("X-Forwarded-Proto")) {
            headers.set("X-Forwarded-Proto", "http")
        }
        if !(trusted && headers.contains("X-Forwarded-Host")) {
            if let host { headers.set("X-Forwarded-Host", host) } else { headers.remove("X-Forwarded-Host") }
        }
        let element = Self.forwardedElement(peer: peer, host: host)
        let forwarded = headers.values(for: "Forwarded").joined(separator: ", ")
        headers.set("Forwarded", trusted && !forwarded.isEmpty ? "\(forwarded), \(element)" : element)
    }

    /// Returns one `Forwarded` element: `for=192.0.2.1;host=example.com;proto=http`.
    /// An IPv6 address is bracketed and quoted, as are values that are not
    /// tokens (RFC 7239, sections 4 and 6).
    static func forwardedElement(peer: String, host: String?) -> String {
        let node = peer.utf8.contains(UInt8(ascii: ":")) ? "\"[\(peer)]\"" : peer
        var element = "for=\(node)"
        if let host {
            let isToken = host.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
            let safe = host.utf8.allSatisfy { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            if safe {
                element += isToken ? ";host=\(host)" : ";host=\"\(host)\""
            }
        }
        return element + ";proto=http"
    }
}
