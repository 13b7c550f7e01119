import Foundation
import StratusControlPlane
import StratusHTTP
import StratusStore
import StratusTestSupport
import Testing

/// Tests of the gateway process's admin API, its command line, and
/// configuration read from the control plane's store.
@Suite(.serialized) struct AdminProcessTests {
    static func config(_ endpoint: String, route: String = "all") -> String {
        """
        settings:
          accessLog: false
        upstreams:
          - name: echo
            endpoints: ["\(endpoint)"]
            healthCheck: {path: /status/200, interval: 50ms}
        routes:
          - name: \(route)
            match: {prefix: /}
            upstream: echo
        """
    }

    @Test func adminNeedsTheToken() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: Self.config(upstream.endpoint))
        defer { gateway.stop() }
        #expect(try await gateway.admin("/admin/config", token: nil).status == 401)
        #expect(try await gateway.admin("/admin/config", token: "wrong-token-of-the-same-size!!!!!").status == 401)
        #expect(try await gateway.admin("/metrics", token: nil).status == 401)
        #expect(try await gateway.admin("/healthz", token: nil).status == 200)
        #expect(try await gateway.admin("/openapi.json", token: nil).status == 200)
        #expect(try await gateway.admin("/admin/config").status == 200)
        await upstream.stop()
    }

    @Test func validateAndApplyOverTheAPI() async throws {
        let upstream = try await EchoUpstream.start()
        let gateway = try await GatewayProcess(yaml: Self.config(upstream.endpoint))
        defer { gateway.stop() }
        let broken = Self.config(upstream.endpoint).replacingOccurrences(of: "upstream: echo", with: "upstream: missing")
        let (invalidStatus, invalid) = try await gateway.admin("/admin/config/validate", method: .post, body: broken)
        #expect(invalidStatus == 422)
        #expect(invalid.contains("route \\\"all\\\": upstream: unknown upstream \\\"missing\\\""), "\(invalid)")
        let (rejectedStatus, _) = try await gateway.admin("/admin/config", method: .put, body: broken)
        #expect(rejectedStatus == 422)
        #expect(try await gateway.generation() == 1)

        let (validStatus, _) = try await gateway.admin("/admin/config/validate", method: .post, body: Self.config(upstream.endpoint, route: "renamed"))
        #expect(validStatus == 200)
        let (appliedStatus, applied) = try await gateway.admin("/admin/config", method: .put, body: Self.config(upstream.endpoint, route: "renamed"))
        #expect(appliedStatus == 200)
        #expect(applied.contains("\"generation\":2"))
        _ = try await gateway.send("/x")
        _ = try await gateway.send("/status/404")
        let (_, routes) = try await gateway.admin("/admin/routes/renamed")
        let route = try JSONSerialization.jsonObject(with: Data(routes.utf8)) as? [String: Any]
        let statistics = route?["statistics"] as? [String: Any]
        #expect(statistics?["requests"] as? Int == 2)
        #expect(statistics?["status4xx"] as? Int == 1)
        #expect(try await gateway.admin("/admin/routes/all").status == 404)
        let (_, upstreams) = try await gateway.admin("/admin/upstreams")
        #expect(upstreams.contains("\"healthy\":true"))
        await upstream.stop()
    }

    @Test func activeHealthChecksRemoveAnInstance() async throws {
        let healthy = try await EchoUpstream.start(name: "healthy")
        let sick = try await EchoUpstream.start(name: "sick")
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
            upstreams:
              - name: pair
                endpoints: ["\(healthy.endpoint)", "\(sick.endpoint)"]
                healthCheck: {path: /status/200, interval: 50ms, unhealthyThreshold: 1}
            routes:
              - name: all
                match: {prefix: /}
                upstream: pair
            """)
        defer { gateway.stop() }
        await sick.stop()
        for _ in 0..<200 {
            let (_, view) = try await gateway.admin("/admin/upstreams/pair")
            if view.contains("\"healthy\":false") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        for _ in 0..<10 {
            let (response, body) = try await gateway.send("/")
            #expect(response.status == .ok)
            #expect(try EchoDescription(body).instance == "healthy")
        }
        await healthy.stop()
    }

    @Test func configurationFollowsTheStore() async throws {
        let upstream = try await EchoUpstream.start()
        let (controlPlane, url) = try await startMemoryControlPlane()
        try await controlPlane.store.put("/stratus/gateway/config", Self.config(upstream.endpoint, route: "first"))
        let gateway = try await GatewayProcess(yaml: "", extraArguments: ["--config-store", url], configureSource: false)
        defer { gateway.stop() }
        #expect(try await gateway.admin("/admin/routes/first").status == 200)
        try await controlPlane.store.put("/stratus/gateway/config", Self.config(upstream.endpoint, route: "second"))
        for _ in 0..<500 where try await gateway.generation() < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await gateway.admin("/admin/routes/second").status == 200)
        try await controlPlane.store.put("/stratus/gateway/config", "routes: 7")
        try await controlPlane.store.put("/stratus/gateway/config", Self.config(upstream.endpoint, route: "third"))
        for _ in 0..<500 where try await gateway.generation() < 3 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await gateway.admin("/admin/routes/third").status == 200)
        #expect(try await PolicyProcessTests.metric(gateway, "stratus_gateway_config_reloads_total{result=\"rejected\"}") == 1)
        // The gateway's watch stream would hold the control plane's shutdown
        // for its grace period.
        gateway.stop()
        await controlPlane.shutdown()
        await upstream.stop()
    }

    @Test(arguments: [
        (["gateway", "--config", "/nonexistent/gateway.yaml", "--admin-insecure"], "cannot read the gateway configuration file /nonexistent/gateway.yaml", Int32(1)),
        (["gateway", "--config", "x.yaml"], "the admin API needs a token", 2),
        (["gateway", "--config", "x.yaml", "--admin-insecure", "--admin-listen", "0.0.0.0:9080"], "--admin-insecure is allowed only on a loopback address", 2),
        (["gateway", "--config", "x.yaml", "--admin-token", "short"], "the admin token has 5 characters", 2),
        (["gateway", "--admin-insecure"], "missing --config FILE or --config-store URL", 2),
        (["gateway", "--config", "x.yaml", "--config-store", "http://127.0.0.1:1", "--admin-insecure"], "--config and --config-store exclude each other", 2),
        (["gateway", "--bogus", "1"], "unknown option --bogus", 2),
    ])
    func commandLineErrors(arguments: [String], message: String, status: Int32) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-cli-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let process = try ProbeProcess("stratus", arguments, logPath: log)
        let reader = LineReader(process.output)
        while await reader.nextLine() != nil {}
        #expect(await process.exitStatus() == status)
        let errors = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(errors.contains(message), "standard error was: \(errors)")
    }

    @Test func invalidStartingConfigurationNamesTheProblem() async throws {
        do {
            let gateway = try await GatewayProcess(yaml: "routes:\n  - name: r\n    match: {prefix: /}\n    upstream: nowhere\n")
            gateway.stop()
            Issue.record("the gateway started with an invalid configuration")
        } catch let error as GatewayTestError {
            #expect(error.description.contains("route \\\"r\\\": upstream: unknown upstream \\\"nowhere\\\"") || error.description.contains("route \"r\": upstream: unknown upstream \"nowhere\""), "\(error)")
        }
    }
}
