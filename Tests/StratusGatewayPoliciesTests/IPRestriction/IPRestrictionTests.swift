@testable import StratusGatewayPolicies
import StratusHTTP
import Testing

@Suite struct IPRestrictionTests {
    func restriction(allow: [String] = [], deny: [String] = []) throws -> IPRestriction {
        try IPRestriction(configuration: IPRestrictionConfiguration(allow: allow, deny: deny))
    }

    @Test func denyWinsOverAllow() throws {
        let rule = try restriction(allow: ["10.0.0.0/8"], deny: ["10.6.6.0/24"])
        #expect(rule.permits(IPAddress("10.1.1.1")))
        #expect(!rule.permits(IPAddress("10.6.6.6")))
        #expect(!rule.permits(IPAddress("192.0.2.1")))
        #expect(rule.permits(IPAddress("::ffff:10.1.1.1")), "an IPv4-mapped client matches IPv4 rules")
        #expect(!rule.permits(IPAddress("::ffff:10.6.6.6")))
    }

    @Test func denyOnlyAdmitsTheRest() throws {
        let rule = try restriction(deny: ["192.0.2.0/24", "2001:db8::/32"])
        #expect(rule.permits(IPAddress("198.51.100.1")))
        #expect(!rule.permits(IPAddress("192.0.2.77")))
        #expect(!rule.permits(IPAddress("2001:db8::1")))
        #expect(rule.permits(IPAddress("2001:db9::1")))
    }

    @Test func unknownClientAlwaysRejected() throws {
        #expect(!(try restriction(allow: ["0.0.0.0/0", "::/0"])).permits(nil))
        #expect(!(try restriction(deny: ["192.0.2.0/24"])).permits(nil))
    }

    @Test func middlewareUsesTrustedForwarding() async throws {
        let resolver = ClientAddressResolver(trustedProxies: [try CIDR("10.0.0.0/8")])
        let middleware = try IPRestrictionMiddleware(configuration: IPRestrictionConfiguration(allow: ["198.51.100.0/24"]), clientAddresses: resolver, logger: quietLogger)
        let chain = echoResponder([middleware])
        #expect(try await send(to: chain, headers: ["X-Forwarded-For": "198.51.100.9"], remoteAddress: "10.0.0.1:1").status == .ok)
        let spoofed = try await send(to: chain, headers: ["X-Forwarded-For": "198.51.100.9"], remoteAddress: "203.0.113.5:1")
        #expect(spoofed.status == .forbidden, "an untrusted peer cannot claim an address")
        #expect(try await errorCode(spoofed) == "address_not_allowed")
        #expect(try await send(to: chain, headers: ["X-Forwarded-For": "198.51.100.9:80"], remoteAddress: "10.0.0.1:1").status == .forbidden)
        #expect(try await send(to: chain, remoteAddress: nil).status == .forbidden)
    }

    @Test func configurationErrorsNameTheEntry() {
        let cases: [(IPRestrictionConfiguration, String)] = [
            (IPRestrictionConfiguration(), "allow"),
            (IPRestrictionConfiguration(allow: ["10.0.0.0/8", "10.0.0.1/8"]), "allow[1]"),
            (IPRestrictionConfiguration(deny: ["999.0.0.0/8"]), "deny[0]"),
        ]
        expectFieldErrors(cases) { (configuration) throws(PolicyConfigurationError) in try configuration.validate() }
    }
}
