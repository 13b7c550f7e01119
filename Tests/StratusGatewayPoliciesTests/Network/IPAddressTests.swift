@testable import StratusGatewayPolicies
import StratusHTTP
import Testing

@Suite struct IPAddressTests {
    @Test(arguments: ["0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8"])
    func validAddressesParse(text: String) {
        #expect(IPAddress(text) != nil)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-1", "0x7f.0.0.1",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0", "::g", "12345::", "[::1]", "localhost", "1.2.3.4/32",
    ])
    func invalidAddressesRejected(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func canonicalText() {
        #expect(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
        #expect(IPAddress("10.1.2.3")?.description == "10.1.2.3")
        #expect(IPAddress("::ffff:10.1.2.3")?.description == "::ffff:10.1.2.3")
    }

    @Test func peerAddresses() {
        #expect(IPAddress.parsePeer("10.0.0.1:8080")?.description == "10.0.0.1")
        #expect(IPAddress.parsePeer("[::1]:8080")?.description == "::1")
        #expect(IPAddress.parsePeer("::1")?.description == "::1")
        #expect(IPAddress.parsePeer("10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress.parsePeer("::1:8080") == IPAddress("::1:8080"), "unbracketed, the whole text is the address")
        #expect(IPAddress.parsePeer("host:80") == nil)
    }
}

@Suite struct CIDRTests {
    func block(_ text: String) throws -> CIDR { try CIDR(text) }

    @Test func prefixZeroMatchesItsFamilyAndMapped() throws {
        let all4 = try block("0.0.0.0/0")
        #expect(all4.contains(IPAddress("1.2.3.4")!))
        #expect(all4.contains(IPAddress("255.255.255.255")!))
        #expect(all4.contains(IPAddress("::ffff:1.2.3.4")!))
        #expect(!all4.contains(IPAddress("2001:db8::1")!))
        let all6 = try block("::/0")
        #expect(all6.contains(IPAddress("2001:db8::1")!))
        #expect(all6.contains(IPAddress("1.2.3.4")!), "an IPv4 address is its mapped IPv6 address")
    }

    @Test func hostRoutes() throws {
        let one4 = try block("192.0.2.7/32")
        #expect(one4.contains(IPAddress("192.0.2.7")!))
        #expect(!one4.contains(IPAddress("192.0.2.8")!))
        #expect(one4.contains(IPAddress("::ffff:192.0.2.7")!))
        let one6 = try block("2001:db8::7/128")
        #expect(one6.contains(IPAddress("2001:db8::7")!))
        #expect(!one6.contains(IPAddress("2001:db8::8")!))
        #expect(try block("10.0.0.1") == block("10.0.0.1/32"), "a bare address is a /32")
        #expect(try block("::1").prefixLength == 128)
    }

    @Test func ordinaryBlocks() throws {
        let private10 = try block("10.0.0.0/8")
        #expect(private10.contains(IPAddress("10.255.255.255")!))
        #expect(!private10.contains(IPAddress("11.0.0.0")!))
        let odd = try block("192.0.2.128/25")
        #expect(odd.contains(IPAddress("192.0.2.200")!))
        #expect(!odd.contains(IPAddress("192.0.2.127")!))
        let v6 = try block("2001:db8:abcd::/48")
        #expect(v6.contains(IPAddress("2001:db8:abcd:ffff::1")!))
        #expect(!v6.contains(IPAddress("2001:db8:abce::1")!))
    }

    @Test func mappedBlockMatchesIPv4() throws {
        let mapped = try block("::ffff:10.0.0.0/104")
        #expect(mapped.contains(IPAddress("10.9.8.7")!))
        #expect(!mapped.contains(IPAddress("11.9.8.7")!))
        #expect(!(try block("10.0.0.0/8")).contains(IPAddress("::10.1.2.3")!), "IPv4-compatible is not IPv4-mapped")
    }

    @Test(arguments: [
        "10.0.0.1/8", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0.0/8/8",
        "2001:db8::1/32", "garbage/8", "", "10.0.0.0/0x8",
    ])
    func malformedBlocksRejected(text: String) {
        #expect(throws: CIDR.ParseError.self) { try CIDR(text) }
    }

    @Test func hostBitsErrorSuggestsTheNetwork() {
        do {
            _ = try CIDR("10.1.2.3/8")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("10.0.0.0/8"))
        }
    }

    @Test func listErrorNamesTheElement() {
        do {
            _ = try CIDR.parseList(["10.0.0.0/8", "bad"], field: "allow")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "allow[1]")
            #expect(error.value == "bad")
        }
    }
}

@Suite struct ClientAddressResolverTests {
    let resolver = ClientAddressResolver(trustedProxies: [try! CIDR("10.0.0.0/8"), try! CIDR("fd00::/8")])

    func client(peer: String?, forwarded: [String] = []) -> String? {
        var headers = HTTPFields()
        for value in forwarded {
            headers.append("X-Forwarded-For", value)
        }
        let request = Request(head: HTTPRequestHead(method: .get, target: "/", headers: headers))
        return resolver.clientAddress(of: request, context: RequestContext(remoteAddress: peer))?.description
    }

    @Test func untrustedPeerIgnoresTheHeader() {
        #expect(client(peer: "203.0.113.9:5000", forwarded: ["198.51.100.1"]) == "203.0.113.9")
    }

    @Test func trustedPeerUsesTheRightmostUntrustedEntry() {
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["198.51.100.1"]) == "198.51.100.1")
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["1.1.1.1, 198.51.100.1, 10.0.0.3"]) == "198.51.100.1", "a spoofed leftmost entry is skipped")
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["1.1.1.1", "198.51.100.1,10.0.0.3"]) == "198.51.100.1", "several fields are one list")
        #expect(client(peer: "[fd00::2]:5000", forwarded: ["2001:db8::5"]) == "2001:db8::5")
    }

    @Test func allTrustedGivesTheLeftmost() {
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["10.0.0.9, 10.0.0.3"]) == "10.0.0.9")
        #expect(client(peer: "10.0.0.2:5000") == "10.0.0.2", "no header: the proxy itself")
    }

    @Test func malformedEntryMakesTheClientUnknown() {
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["198.51.100.1:4000"]) == nil)
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["unknown"]) == nil)
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["1.1.1.1,,10.0.0.3"]) == nil)
        #expect(client(peer: "10.0.0.2:5000", forwarded: ["garbage, 198.51.100.1"]) == "198.51.100.1", "entries left of the client are never read")
    }

    @Test func missingPeerIsUnknown() {
        #expect(client(peer: nil) == nil)
        #expect(client(peer: "not an address") == nil)
    }

    @Test func configurationIsChecked() throws {
        #expect(throws: PolicyConfigurationError.self) { try ClientAddressResolver(TrustedProxiesConfiguration(trustedProxies: ["10.0.0.0/33"])) }
        #expect(throws: PolicyConfigurationError.self) { try ClientAddressResolver(TrustedProxiesConfiguration(forwardedHeader: "X Forwarded")) }
        let resolver = try ClientAddressResolver(TrustedProxiesConfiguration(trustedProxies: ["10.0.0.0/8"], forwardedHeader: "X-Real-Client"))
        let request = Request(head: HTTPRequestHead(method: .get, target: "/", headers: ["X-Real-Client": "198.51.100.4"]))
        #expect(resolver.clientAddress(of: request, context: RequestContext(remoteAddress: "10.1.1.1:1"))?.description == "198.51.100.4")
    }
}
