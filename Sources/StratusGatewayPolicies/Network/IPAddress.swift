import Glibc

/// An IPv4 or IPv6 address, parsed strictly.
///
/// IPv4 must be four decimal parts from 0 to 255 without leading zeros
/// (`010.0.0.1` is rejected: some parsers read it as octal). IPv6 follows
/// RFC 4291, section 2.2, with an optional IPv4 tail; a zone (`fe80::1%eth0`)
/// is rejected. Both come from glibc's inet_pton(3).
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable, Sendable {
        case v4(UInt32)
        case v6(UInt128)
    }

    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Parses an address, or returns nil when `text` is not exactly one.
    public init?(_ text: some StringProtocol) {
        // The longest IPv6 text with an IPv4 tail has 45 characters.
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let string = String(text)
        if string.utf8.contains(UInt8(ascii: ":")) {
            var address = in6_addr()
            guard inet_pton(AF_INET6, string, &address) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            value = .v6(bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, string, &address) == 1 else { return nil }
            value = .v4(UInt32(bigEndian: address.s_addr))
        }
    }

    public var isIPv4: Bool {
        if case .v4 = value { return true }
        return false
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address
    /// (`::ffff:192.0.2.1`, RFC 4291, section 2.5.5.2), or nil.
    var mappedIPv4: UInt32? {
        guard case .v6(let bits) = value, bits >> 32 == 0xffff else { return nil }
        return UInt32(truncatingIfNeeded: bits)
    }

    /// The address as IPv6: IPv4 becomes its IPv4-mapped form.
    var ipv6Bits: UInt128 {
        switch value {
        case .v4(let bits): UInt128(0xffff) << 32 | UInt128(bits)
        case .v6(let bits): bits
        }
    }

    /// The canonical text (RFC 5952 for IPv6), from inet_ntop(3).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch value {
        case .v4(let bits):
            var address = in_addr(s_addr: bits.bigEndian)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let bits):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                for index in 0..<16 {
                    raw[index] = UInt8(truncatingIfNeeded: bits >> UInt128(8 * (15 - index)))
                }
            }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses the host of a peer address as `RequestContext.remoteAddress`
    /// gives it: `host:port`, `[host]:port`, or a bare host.
    static func parsePeer(_ peer: String) -> IPAddress? {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            return IPAddress(peer[peer.index(after: peer.startIndex)..<close])
        }
        if let address = IPAddress(peer) {
            return address
        }
        guard let colon = peer.lastIndex(of: ":") else { return nil }
        let host = peer[..<colon]
        // An IPv6 host must be bracketed when a port follows.
        guard !host.contains(":") else { return nil }
        return IPAddress(host)
    }
}
