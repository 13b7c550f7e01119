import Foundation
import Glibc
import StratusNet
import StratusTestSupport
import Testing

/// A kit service that cannot start exits 1 with one line on standard error.
@Suite struct StartupFailureProcessTests {
    /// Runs the probe with `arguments` until it exits, and returns its exit
    /// status and standard error.
    static func runProbe(_ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-kit-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let probe = try ProbeProcess("stratus-kit-probe", arguments, logPath: log.path, environment: environment)
        let status = await probe.exitStatus()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (status, output)
    }

    @Test func invalidValueNamesKeyAndSource() async throws {
        let (status, output) = try await Self.runProbe(["--set", "server.port=80a"])
        #expect(status == 1)
        #expect(output.hasPrefix("kit-probe: flag --set server.port=80a: "), "\(output)")
        #expect(output.contains("expected an integer"), "\(output)")
    }

    @Test func unknownKeySuggestsNearestKey() async throws {
        let (status, output) = try await Self.runProbe(["--set", "server.prot=9000"])
        #expect(status == 1)
        #expect(output.contains("server.prot"), "\(output)")
        #expect(output.contains("did you mean server.port?"), "\(output)")
    }

    @Test func invalidConfigFileNamesLine() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kit-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "server:\n  port: 0\n  drainPeriod: soon\n".write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try await Self.runProbe(["--config", file.path])
        #expect(status == 1)
        #expect(output.hasPrefix("kit-probe: \(file.path):3:"), "\(output)")
        #expect(output.contains("server.drainPeriod"), "\(output)")
    }

    @Test func missingConfigFileIsReported() async throws {
        let (status, output) = try await Self.runProbe(["--config", "/nonexistent/kit-probe.yaml"])
        #expect(status == 1)
        #expect(output.contains("/nonexistent/kit-probe.yaml"), "\(output)")
    }

    @Test func portInUseExitsWithOneLine() async throws {
        let blocker = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: 1, reusePort: false)
        defer { blocker.close() }
        let port = try #require(try blocker.localAddress()?.port)
        let (status, output) = try await Self.runProbe(["--set", "server.port=\(port)"], environment: ["STRATUS_LOG_LEVEL": "critical"])
        #expect(status == 1)
        #expect(output.hasPrefix("kit-probe: cannot listen on 127.0.0.1:\(port): "), "\(output)")
        #expect(output.split(separator: "\n").count == 1, "\(output)")
    }

    @Test func invalidControlPlaneVariableIsRejected() async throws {
        let (status, output) = try await Self.runProbe(["--set", "server.port=0"], environment: ["STRATUS_CONTROLPLANE": "127.0.0.1:7700"])
        #expect(status == 1)
        #expect(output == "kit-probe: invalid value 127.0.0.1:7700 in STRATUS_CONTROLPLANE; expected comma-separated http:// URLs such as http://127.0.0.1:7700\n")
    }

    @Test func unknownArgumentIsUsageError() async throws {
        let (status, output) = try await Self.runProbe(["--port", "80"])
        #expect(status == 2)
        #expect(output.hasPrefix("kit-probe: unknown argument --port\n"), "\(output)")
    }

    @Test func helpPrintsUsage() async throws {
        let probe = try ProbeProcess("stratus-kit-probe", ["--help"])
        let lines = LineReader(probe.output)
        let first = await lines.nextLine()
        let status = await probe.exitStatus()
        #expect(status == 0)
        #expect(first == "usage: kit-probe [--config FILE] [--set KEY=VALUE ...]")
    }
}
