import Foundation
import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusTestSupport
import Testing

/// The `extAuthz` plugin of `stratus gateway` with an authorization service
/// that the gateway finds through the control plane's discovery.
@Suite(.serialized) struct ExternalAuthorizationProcessTests {
    @Test func serviceResolvedThroughDiscovery() async throws {
        let upstream = try await EchoUpstream.start()
        // The echo server responds with the status its path names, so
        // `/status/200` allows every request and `/status/403` denies it.
        let authorizer = try await EchoUpstream.start(name: "authz")
        let (controlPlane, controlPlaneURL) = try await startMemoryControlPlane()
        let client = try ControlPlaneClient(endpoints: [controlPlaneURL])
        let registrar = ServiceRegistrar(
            client: client, instance: ServiceInstance(service: "authz", id: "authz-0", address: "127.0.0.1", port: authorizer.port), ttlSeconds: 30
        )
        try await registrar.start()
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
              controlPlane: ["\(controlPlaneURL)"]
            upstreams:
              - name: echo
                endpoints: ["\(upstream.endpoint)"]
            routes:
              - name: allowed
                match: {prefix: /allowed}
                upstream: echo
                plugins:
                  extAuthz: {service: authz, path: /status/200}
              - name: denied
                match: {prefix: /denied}
                upstream: echo
                plugins:
                  extAuthz: {service: authz, path: /status/403}
            """)
        defer { gateway.stop() }

        #expect(try await gateway.send("/allowed").response.status == .ok)
        let (denied, body) = try await gateway.send("/denied")
        #expect(denied.status.code == 403)
        #expect(SecurityPolicyProcessTests.code(body) == "access_denied", "\(body)")
        let checks = authorizer.requests.map(\.target)
        #expect(checks.contains("/status/200"), "\(checks)")
        #expect(checks.contains("/status/403"), "\(checks)")
        #expect(upstream.requests.count == 1, "the denied request did not reach the upstream")

        gateway.stop()
        await registrar.stop()
        await controlPlane.shutdown()
        await authorizer.stop()
        await upstream.stop()
    }
}
