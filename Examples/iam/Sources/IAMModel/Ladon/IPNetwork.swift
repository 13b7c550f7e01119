import Glibc

/// An IP network parsed from CIDR notation, for `CIDRCondition`.
///
/// It follows Go's `net.ParseCIDR` and `IPNet.Contains`: host bits of the
/// CIDR are ignored (`192.168.0.1/16` is `192.168.0.0/16`), an
/// IPv4-mapped IPv6 address such as `::ffff:192.168.0.5` counts as IPv4,
/// and an IPv4 address is never inside an IPv6 network or the reverse.
struct IPNetwork: Sendable, Hashable {
    let network: [UInt8]
    let prefixLength: Int

    init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].utf8.count <= 3,
              parts[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let length = Int(parts[1]), let address = Self.parseAddress(String(parts[0]), unmapping: false)
        else { return nil }
        guard length <= address.count * 8 else { return nil }
        var bytes = address
        var prefix = length
        if bytes.count == 16, Self.isIPv4Mapped(bytes), prefix >= 96 {
            bytes = Array(bytes.suffix(4))
            prefix -= 96
        }
        network = Self.mask(bytes, prefixLength: prefix)
        prefixLength = prefix
    }

    /// Returns whether `address`, an IPv4 or IPv6 address without port or
    /// zone, lies in the network. An unparsable address is outside.
    func contains(_ address: String) -> Bool {
        guard let bytes = Self.parseAddress(address, unmapping: true), bytes.count == network.count else {
            return false
        }
        return Self.mask(bytes, prefixLength: prefixLength) == network
    }

    /// Parses a bare address to 4 or 16 bytes; IPv4-mapped IPv6 addresses
    /// become 4 bytes when `unmapping`.
    static func parseAddress(_ text: String, unmapping: Bool) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        return unmapping && isIPv4Mapped(bytes) ? Array(bytes.suffix(4)) : bytes
    }

    private static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }

    private static func mask(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(8, max(0, prefixLength - index * 8))
            return bits == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }
}
