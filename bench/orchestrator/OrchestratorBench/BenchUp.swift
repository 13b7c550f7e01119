import Foundation
import Glibc
import StratusControlPlane
import StratusOrchestrator
import StratusTestSupport

/// One `stratus up` the benchmark started, with its output in a log file.
final class BenchUp: @unchecked Sendable {
    let pid: pid_t
    let stateDirectory: String
    let client: AppsClient
    let app: String

    private struct UpFile: Decodable {
        var app: String
        var controlPlane: String
    }

    /// Starts `stratus up --no-build` on `spec` and returns once it has
    /// recorded its control plane in up.json.
    static func start(stratus: String, spec: String, directory: String) async throws -> BenchUp {
        let stateDirectory = directory + "/.stratus"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pid = try ChildProcess.spawn(
            [stratus, "up", "-f", spec, "--no-build", "--no-color", "--state-dir", stateDirectory],
            logPath: directory + "/up.log",
            environment: ["STRATUS_LOG_LEVEL": "warning"]
        )
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: stateDirectory + "/up.json"), let file = try? JSONDecoder().decode(UpFile.self, from: data) {
                return BenchUp(pid: pid, stateDirectory: stateDirectory, client: AppsClient(baseURL: file.controlPlane), app: file.app)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
        throw OrchestratorError("stratus up did not write up.json within 60 s; see \(directory)/up.log")
    }

    private init(pid: pid_t, stateDirectory: String, client: AppsClient, app: String) {
        self.pid = pid
        self.stateDirectory = stateDirectory
        self.client = client
        self.app = app
    }

    /// Polls the status every 10 ms until `condition` holds, for at most `limit`.
    @discardableResult
    func waitFor(_ what: String, within limit: Duration = .seconds(120), _ condition: (AppStatus) -> Bool) async throws -> AppStatus {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let status = try? await client.status(app: app), condition(status) {
                return status
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw OrchestratorError("timed out waiting for \(what)")
    }

    /// Polls the status every 10 ms for `duration`, as `waitFor` does
    /// during a rollout, so that a window without a rollout carries the
    /// same polling load as one with.
    func poll(for duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            _ = try? await client.status(app: app)
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Returns whether every service has its replicas available and its
    /// rollout complete, which `stratus up` also waits for before its banner.
    static func isReady(_ status: AppStatus) -> Bool {
        status.phase == "running" && status.services.allSatisfy { $0.availableReplicas == $0.desiredReplicas && $0.rollout.complete }
    }

    /// Stops `stratus up` with SIGINT and waits for it to exit.
    func stop() async {
        kill(pid, SIGINT)
        _ = await ChildProcess.reap(pid, within: .seconds(60))
        client.shutdown()
    }
}
