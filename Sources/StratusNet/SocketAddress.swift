import CStratusLinux
import Glibc

/// An IPv4 or IPv6 socket address.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    private enum Storage {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    private let storage: Storage

    /// Parses a numeric address (`127.0.0.1`, `::1`) or `localhost`, which means
    /// 127.0.0.1. Host names are not resolved here, so nothing blocks on DNS.
    public init(host: String, port: Int) throws(AddressError) {
        guard (0...65535).contains(port) else {
            throw AddressError(input: "\(host):\(port)", reason: "port \(port) is outside 0-65535")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let numeric = bare == "localhost" ? "127.0.0.1" : bare
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, numeric, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            storage = .v4(v4)
            return
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, numeric, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            storage = .v6(v6)
            return
        }
        throw AddressError(
            input: host,
            reason: "expected a numeric IPv4 or IPv6 address or localhost"
        )
    }

    /// Parses `host:port`, `[v6]:port` or `:port` (which means 127.0.0.1).
    public init(parsing endpoint: String) throws(AddressError) {
        let isBareIPv6 = endpoint.filter({ $0 == ":" }).count > 1 && !endpoint.hasPrefix("[")
        guard !isBareIPv6,
              let colon = endpoint.lastIndex(of: ":"),
              endpoint[endpoint.index(after: colon)...].allSatisfy(\.isASCIIDigit),
              let port = Int(endpoint[endpoint.index(after: colon)...])
        else {
            throw AddressError(input: endpoint, reason: "expected host:port, for example 127.0.0.1:8080 or [::1]:8080")
        }
        let host = String(endpoint[..<colon])
        try self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    public var port: Int {
        switch storage {
        case .v4(let address): Int(UInt16(bigEndian: address.sin_port))
        case .v6(let address): Int(UInt16(bigEndian: address.sin6_port))
        }
    }

    /// The address without the port (`127.0.0.1`, `::1`).
    public var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch storage {
        case .v4(var address):
            inet_ntop(AF_INET, &address.sin_addr, &buffer, socklen_t(buffer.count))
        case .v6(var address):
            inet_ntop(AF_INET6, &address.sin6_addr, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var family: Int32 {
        switch storage {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        switch storage {
        case .v4: "\(host):\(port)"
        case .v6: "[\(host)]:\(port)"
        }
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> R) throws(SystemError) -> R {
        switch storage {
        case .v4(var address):
            return try withUnsafePointer(to: &address) { pointer throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(var address):
            return try withUnsafePointer(to: &address) { pointer throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address that the kernel filled into `storage`.
    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self.storage = withUnsafeBytes(of: &storage) { .v4($0.load(as: sockaddr_in.self)) }
        case AF_INET6:
            self.storage = withUnsafeBytes(of: &storage) { .v6($0.load(as: sockaddr_in6.self)) }
        default:
            return nil
        }
    }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}

/// An address that could not be parsed.
public struct AddressError: Error, Sendable, CustomStringConvertible {
    public var input: String
    public var reason: String

    public var description: String { "invalid address \"\(input)\": \(reason)" }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
