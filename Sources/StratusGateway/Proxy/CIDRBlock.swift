import Glibc

/// An IPv4 or IPv6 address block such as `10.0.0.0/8` or `::1/128`; an
/// address without a prefix length is a block of one address.
public struct CIDRBlock: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The network address, 4 or 16 bytes.
    let network: [UInt8]
    let prefixLength: Int
    public let description: String

    /// Parses `text`, returning nil when it is not an address or block.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressBytes.parse(String(parts[0])) else { return nil }
        let maximum = address.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed), parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            length = parsed
        }
        network = IPAddressBytes.masked(address, prefixLength: length)
        prefixLength = length
        description = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let block = CIDRBlock(text) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "invalid CIDR block \"\(text)\": expected an IPv4 or IPv6 address with an optional prefix length, such as 10.0.0.0/8 or ::1"
            ))
        }
        self = block
    }

    /// Returns whether `address` (4 or 16 bytes) is inside the block. An IPv4
    /// address written as IPv6 (`::ffff:10.1.2.3`) matches IPv4 blocks.
    func contains(_ address: [UInt8]) -> Bool {
        var address = address
        if address.count == 16 && network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            address = Array(address[12...])
        }
        guard address.count == network.count else { return false }
        return IPAddressBytes.masked(address, prefixLength: prefixLength) == network
    }
}

/// Parsing and masking of numeric IP addresses.
enum IPAddressBytes {
    /// Returns the 4 or 16 bytes of a numeric IPv4 or IPv6 address, with
    /// or without brackets, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") {
            text = text.dropFirst().dropLast()
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(text), &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func masked(_ address: [UInt8], prefixLength: Int) -> [UInt8] {
        var result = address
        for index in result.indices {
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            result[index] &= bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsInByte))
        }
        return result
    }
}
