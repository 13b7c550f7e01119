import Foundation
import Testing

/// The `stratus` commands' usage errors and bad app specs, without a
/// running app.
@Suite struct CommandLineTests {
    @Test(arguments: [
        (["scale"], "stratus scale: missing SERVICE; run `stratus scale --help` for usage"),
        (["scale", "web"], "stratus scale: missing --replicas N; run `stratus scale --help` for usage"),
        (["scale", "web", "--replicas", "many"], "stratus scale: invalid --replicas many: expected a count from 0 to 1000; run `stratus scale --help` for usage"),
        (["up", "--bogus"], "stratus up: unknown option --bogus; run `stratus up --help` for usage"),
        (["up", "-f"], "stratus up: -f needs a value; run `stratus up --help` for usage"),
        (["status", "--output", "xml"], "stratus status: invalid --output xml: expected table or json; run `stratus status --help` for usage"),
        (["logs"], "stratus logs: missing SERVICE; run `stratus logs --help` for usage"),
        (["logs", "web", "--since", "soon"], "stratus logs: invalid --since soon: expected a duration such as 500ms, 10s, 5m or 1h; run `stratus logs --help` for usage"),
        (["rollout", "undo", "web"], "stratus rollout: unknown action undo; run `stratus rollout --help` for usage"),
        (["rollout", "restart"], "stratus rollout restart: missing SERVICE; run `stratus rollout restart --help` for usage"),
        (["down", "extra"], "stratus down: unexpected argument extra; run `stratus down --help` for usage"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) async throws {
        let run = try ProcessRun(arguments)
        #expect(await run.finish() == 2)
        #expect(run.standardError == message + "\n")
        #expect(run.standardOutput.isEmpty)
    }

    @Test(arguments: [
        (["up", "--help"], ["-f, --file FILE", "(default stratus.yaml)", "--no-build", "--state-dir DIR"]),
        (["status", "--help"], ["--output FORMAT", "table (default) or json", "--control-plane URL"]),
        (["scale", "--help"], ["--replicas N", "0 to 1000"]),
        (["rollout", "--help"], ["--timeout DURATION", "(default 5m)", "maxUnavailable"]),
        (["logs", "--help"], ["-f, --follow", "--since DURATION", "30s, 5m or 2h"]),
        (["apply", "--help"], ["-f, --file FILE", "--no-build"]),
        (["down", "--help"], ["--timeout DURATION", "(default 2m)"]),
    ])
    func helpListsOptions(arguments: [String], expected: [String]) async throws {
        let run = try ProcessRun(arguments)
        #expect(await run.finish() == 0)
        for text in expected {
            #expect(run.standardOutput.contains(text), "\(arguments) --help lacks \(text)")
        }
    }

    @Test func badSpecRejectedWithLocations() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-badspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bad.yaml").path
        try Data("""
            name: shop
            services:
              - name: web
                command: /bin/true
                replicas: -1
                replcas: 2
                health: {livenessPath: healthz}
            """.utf8).write(to: URL(fileURLWithPath: path))
        let run = try ProcessRun(["up", "-f", path, "--no-build", "--state-dir", directory.appendingPathComponent(".stratus").path])
        #expect(await run.finish() == 1)
        let lines = run.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first == "stratus up: invalid app spec \(path) (3 problems):")
        #expect(lines.contains("  unknown field \(path):6:5: services[0].replcas; did you mean services[0].replicas?"))
        #expect(lines.contains("  \(path):5:15: services[0].replicas: -1 is below 0; expected a number of replicas from 0 up"))
        #expect(lines.contains("  \(path):7:28: services[0].health.livenessPath: \"healthz\" does not start with \"/\"; expected an HTTP path such as /healthz"))
    }

    @Test func missingSpecReported() async throws {
        let run = try ProcessRun(["up", "-f", "/nonexistent/stratus.yaml", "--no-build"])
        #expect(await run.finish() == 1)
        #expect(run.standardError.contains("cannot read config file /nonexistent/stratus.yaml: No such file or directory"))
    }

    @Test func commandsWithoutControlPlaneFail() async throws {
        let run = try ProcessRun(["status", "--control-plane", "http://127.0.0.1:1", "--app", "shop"])
        #expect(await run.finish() == 1)
        #expect(run.standardError.hasPrefix("stratus status: cannot reach the control plane at http://127.0.0.1:1:"))
    }
}
