/// An address block such as `10.0.0.0/8` or `2001:db8::/32`.
///
/// Parsing is strict. The prefix length is decimal without leading zeros,
/// at most 32 for IPv4 and 128 for IPv6. The address must have no bits set
/// after the prefix: `10.0.0.1/8` is rejected, because it most likely means
/// a typo. A bare address is a block of one address (/32 or /128).
///
/// IPv4 and IPv4-mapped IPv6 addresses are the same address: `10.0.0.0/8`
/// contains `::ffff:10.1.2.3`, and `::ffff:10.0.0.0/104` contains `10.1.2.3`.
/// So `::/0` contains every address, and `0.0.0.0/0` every IPv4 and
/// IPv4-mapped address.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// A malformed block, with the reason.
    public struct ParseError: Error, Sendable, Hashable {
        public let reason: String
    }

    public init(_ text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw ParseError(reason: "\"\(parts[0])\" is not an IPv4 or IPv6 address")
        }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                digits == "0" || !digits.hasPrefix("0"), let parsed = Int(digits), parsed <= maximum
            else {
                throw ParseError(reason: "the prefix length must be a decimal number from 0 to \(maximum)")
            }
            length = parsed
        }
        self.address = address
        prefixLength = length
        guard Self.network(of: address, length: length) == address else {
            let network = Self.network(of: address, length: length)
            throw ParseError(reason: "the address has bits set after the /\(length) prefix; write \(network)/\(length)")
        }
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// Returns whether `candidate` is inside this block.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address.value, candidate.value) {
        case (.v4(let network), .v4(let bits)):
            return Self.mask32(prefixLength) & bits == network
        case (.v4(let network), .v6):
            guard let mapped = candidate.mappedIPv4 else { return false }
            return Self.mask32(prefixLength) & mapped == network
        case (.v6(let network), _):
            return Self.mask128(prefixLength) & candidate.ipv6Bits == network
        }
    }

    private static func network(of address: IPAddress, length: Int) -> IPAddress {
        switch address.value {
        case .v4(let bits): IPAddress(.v4(bits & mask32(length)))
        case .v6(let bits): IPAddress(.v6(bits & mask128(length)))
        }
    }

    private static func mask32(_ length: Int) -> UInt32 {
        length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
    }

    private static func mask128(_ length: Int) -> UInt128 {
        length == 0 ? 0 : ~UInt128(0) << UInt128(128 - length)
    }
}

extension CIDR {
    /// Parses the blocks of a configuration list, naming the element at fault.
    static func parseList(_ texts: [String], field: String) throws(PolicyConfigurationError) -> [CIDR] {
        var blocks: [CIDR] = []
        for (index, text) in texts.enumerated() {
            do {
                blocks.append(try CIDR(text))
            } catch {
                throw PolicyConfigurationError(field: "\(field)[\(index)]", value: text, expected: "an address or address block such as 10.0.0.0/8; \(error.reason)")
            }
        }
        return blocks
    }
}
