import Glibc
import StratusNet
import Testing

@Suite struct SocketAddressTests {
    @Test func parsesIPv4() throws {
        let address = try SocketAddress(host: "127.0.0.1", port: 8080)

        #expect(address.family == AF_INET)
        #expect(address.host == "127.0.0.1")
        #expect(address.port == 8080)
        #expect(address.description == "127.0.0.1:8080")
    }

    @Test(arguments: ["::1", "[::1]"])
    func parsesIPv6Loopback(host: String) throws {
        let address = try SocketAddress(host: host, port: 443)

        #expect(address.family == AF_INET6)
        #expect(address.host == "::1")
        #expect(address.port == 443)
        #expect(address.description == "[::1]:443")
    }

    @Test func parsesFullIPv6() throws {
        let address = try SocketAddress(host: "2001:db8:0:0:0:0:0:1", port: 80)

        #expect(address.host == "2001:db8::1")
        #expect(address.description == "[2001:db8::1]:80")
    }

    @Test func localhostMeansIPv4Loopback() throws {
        let address = try SocketAddress(host: "localhost", port: 1)

        #expect(address.family == AF_INET)
        #expect(address.host == "127.0.0.1")
    }

    @Test(arguments: [0, 65535])
    func acceptsPortBounds(port: Int) throws {
        #expect(try SocketAddress(host: "127.0.0.1", port: port).port == port)
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1:8080"),
        ("[::1]:9000", "[::1]:9000"),
        ("localhost:1234", "127.0.0.1:1234"),
        (":5000", "127.0.0.1:5000"),
        ("0.0.0.0:0", "0.0.0.0:0"),
    ])
    func parsesEndpoint(endpoint: String, expected: String) throws {
        #expect(try SocketAddress(parsing: endpoint).description == expected)
    }

    @Test(arguments: ["127.0.0.1:0", "10.1.2.3:65535", "[::1]:80", "[fe80::1]:8443", "[::]:1"])
    func descriptionRoundTrips(endpoint: String) throws {
        let address = try SocketAddress(parsing: endpoint)
        let reparsed = try SocketAddress(parsing: address.description)

        #expect(address.description == endpoint)
        #expect(reparsed == address)
        #expect(reparsed.hashValue == address.hashValue)
    }

    @Test func differentPortsAreNotEqual() throws {
        #expect(try SocketAddress(host: "127.0.0.1", port: 1) != SocketAddress(host: "127.0.0.1", port: 2))
    }

    @Test(arguments: ["example.com", "1.2.3", "", "256.0.0.1", "::1::2", "[127.0.0.1", " 127.0.0.1"])
    func rejectsInvalidHost(host: String) {
        let error = #expect(throws: AddressError.self) {
            _ = try SocketAddress(host: host, port: 80)
        }

        #expect(error?.input == host)
        #expect(error?.description.contains("\"\(host)\"") == true)
    }

    @Test(arguments: [70000, -1, 65536])
    func rejectsPortOutOfRange(port: Int) {
        let error = #expect(throws: AddressError.self) {
            _ = try SocketAddress(host: "127.0.0.1", port: port)
        }

        #expect(error?.input == "127.0.0.1:\(port)")
        #expect(error?.description.contains("\(port)") == true)
    }

    /// Each endpoint with the part of it that the error must name.
    @Test(arguments: [
        ("", ""),
        (":", ":"),
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.1:", "127.0.0.1:"),
        ("127.0.0.1:http", "127.0.0.1:http"),
        ("[::1]", "[::1]"),
        ("example.com:80", "example.com"),
        ("1.2.3:80", "1.2.3"),
        ("127.0.0.1:70000", "127.0.0.1:70000"),
        ("::1", "::1"),
        ("127.0.0.1:+80", "127.0.0.1:+80"),
    ])
    func rejectsInvalidEndpoint(endpoint: String, named: String) {
        let error = #expect(throws: AddressError.self) {
            _ = try SocketAddress(parsing: endpoint)
        }

        #expect(error?.input == named)
        #expect(error?.description.contains("\"\(named)\"") == true)
    }
}
