package import Foundation
import Glibc
package import StratusHTTP

/// A `stratus gateway` process on free loopback ports, with its
/// configuration file, token file and log in a temporary directory.
package final class GatewayProcess: @unchecked Sendable {
    package static let token = "test-admin-token-0123456789abcdef"

    package let directory: URL
    package let configPath: String
    package let process: ProbeProcess
    /// `http://127.0.0.1:PORT` of the proxy and of the admin API.
    package let url: String
    package let adminURL: String
    package let client: HTTPClient

    package var pid: pid_t { process.pid }
    package var logPath: String { directory.appendingPathComponent("gateway.log").path }

    /// Starts the gateway with `yaml` and waits for its listening line.
    package init(yaml: String, extraArguments: [String] = [], configureSource: Bool = true) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = directory.appendingPathComponent("gateway.yaml").path
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let tokenPath = directory.appendingPathComponent("token").path
        try Self.token.write(toFile: tokenPath, atomically: true, encoding: .utf8)
        var arguments = ["gateway", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--admin-token-file", tokenPath, "--watch-interval", "100ms"]
        if configureSource {
            arguments += ["--config", configPath]
        }
        process = try ProbeProcess("stratus", arguments + extraArguments, logPath: directory.appendingPathComponent("gateway.log").path, environment: ["STRATUS_LOG_FORMAT": "json"])
        let lines = LineReader(process.output)
        var found: (String, String)?
        while let line = await lines.nextLine() {
            if let match = line.firstMatch(of: /stratus gateway listening on (http:\/\/[0-9.:]+) \(admin (http:\/\/[0-9.:]+)\)/) {
                found = (String(match.1), String(match.2))
                break
            }
        }
        guard let (url, adminURL) = found else {
            let log = (try? String(contentsOfFile: directory.appendingPathComponent("gateway.log").path, encoding: .utf8)) ?? ""
            process.kill()
            throw GatewayTestError(description: "the gateway did not start: \(log)")
        }
        self.url = url
        self.adminURL = adminURL
        var configuration = HTTPClientConfiguration()
        configuration.requestTimeout = .seconds(30)
        client = HTTPClient(configuration: configuration)
        // Keep reading standard output so that the gateway never blocks on a full pipe.
        Task.detached { while await lines.nextLine() != nil {} }
    }

    /// Sends a request through the gateway and returns the status and body.
    package func send(_ path: String, method: HTTPMethod = .get, headers: HTTPFields = [:], body: [UInt8] = []) async throws -> (response: HTTPClientResponse, body: String) {
        let (response, bytes) = try await client.execute(HTTPClientRequest(method: method, url: url + path, headers: headers, body: OutgoingBody(bytes: body)), collectingUpTo: 16 << 20)
        return (response, String(decoding: bytes, as: UTF8.self))
    }

    /// Calls the admin API with the token.
    package func admin(_ path: String, method: HTTPMethod = .get, body: String? = nil, token: String? = GatewayProcess.token) async throws -> (status: Int, body: String) {
        var headers: HTTPFields = [:]
        if let token { headers.append("Authorization", "Bearer \(token)") }
        let request = HTTPClientRequest(method: method, url: adminURL + path, headers: headers, body: OutgoingBody(bytes: Array((body ?? "").utf8)))
        let (response, bytes) = try await client.execute(request, collectingUpTo: 16 << 20)
        return (response.status.code, String(decoding: bytes, as: UTF8.self))
    }

    /// Returns the configuration generation the admin API reports.
    package func generation() async throws -> Int {
        let (_, body) = try await admin("/admin/config")
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return object?["generation"] as? Int ?? 0
    }

    /// Rewrites the configuration file and waits until the gateway applied
    /// it, for at most ten seconds.
    package func reload(_ yaml: String) async throws {
        let before = try await generation()
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        for _ in 0..<500 {
            if try await generation() > before { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw GatewayTestError(description: "the gateway did not apply the new configuration: \(logTail())")
    }

    /// Returns the resident set size of the gateway process, in bytes.
    package func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }

    package func logTail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(4000))
    }

    /// Kills the gateway at once. A graceful stop could wait for its grace
    /// period while this thread, one of the few that run test tasks, waits
    /// in `waitpid`.
    package func stop() {
        client.shutdown()
        process.kill(SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A failure that stops a gateway process test, described for the test log.
package struct GatewayTestError: Error, CustomStringConvertible {
    package var description: String

    package init(description: String) {
        self.description = description
    }
}
