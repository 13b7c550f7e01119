import Foundation
import Glibc
import StratusControlPlane
import StratusHTTP
import StratusTestSupport
import Testing

/// The two services of Examples/Greeter, run as a user runs them: one
/// process each, registered with a control plane, greeter-api calling
/// greeter-names through the service client.
@Suite(.serialized) struct GreeterExampleTests {
    static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/Greeter/config")

    /// Starts an example service on a free port and returns it with its
    /// base URL.
    static func start(_ name: String, controlPlane: String, logPath: String) async throws -> (ProbeProcess, LineReader, String) {
        let service = try ProbeProcess(
            name,
            ["--config", configDirectory.appendingPathComponent("\(name).yaml").path, "--set", "server.port=0", "--set", "server.drainPeriod=0s"],
            logPath: logPath,
            environment: ["STRATUS_CONTROLPLANE": controlPlane, "STRATUS_LOG_FORMAT": "json"]
        )
        let lines = LineReader(service.output)
        let address = try #require(await GracefulShutdownProcessTests.readStartedAddress(lines), "\(name) did not start")
        return (service, lines, "http://\(address)")
    }

    @Test func apiGreetsThroughNamesAndDegrades() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let (names, _, _) = try await Self.start("greeter-names", controlPlane: url, logPath: "/dev/null")
        let (api, _, base) = try await Self.start("greeter-api", controlPlane: url, logPath: "/dev/null")
        let http = HTTPClient()

        let (response, body) = try await http.execute(HTTPClientRequest(url: base + "/v1/hello/ada?lang=fr"), collectingUpTo: 4096)
        #expect(response.status == .ok)
        #expect(String(decoding: body, as: UTF8.self) == #"{"degraded":false,"message":"Bonjour, ada!"}"#)

        let (unknown, unknownBody) = try await http.execute(HTTPClientRequest(url: base + "/v1/hello/ada?lang=xx"), collectingUpTo: 4096)
        #expect(unknown.status == .badRequest)
        #expect(String(decoding: unknownBody, as: UTF8.self).contains("no greeting for language \"xx\"; known languages: de, en, fr, zh"))

        kill(names.pid, SIGTERM)
        #expect(await names.exitStatus() == 0)
        let (degraded, degradedBody) = try await http.execute(HTTPClientRequest(url: base + "/v1/hello/ada?lang=fr"), collectingUpTo: 4096)
        #expect(degraded.status == .ok)
        #expect(String(decoding: degradedBody, as: UTF8.self) == #"{"degraded":true,"message":"Hello, ada!"}"#)

        kill(api.pid, SIGTERM)
        #expect(await api.exitStatus() == 0)
        http.shutdown()
        await controlPlane.shutdown()
    }
}
