import Foundation
import Glibc
import StratusControlPlane
import StratusOrchestrator
import StratusTestSupport
import Synchronization

/// `stratus up` running an app spec from a temporary directory, with its
/// output collected, for the orchestrator's process tests.
///
/// `stop` ends it with a signal and waits. When a test fails first,
/// `deinit` sends SIGINT, then SIGKILL to `stratus up` and to every replica
/// process group it reported, so that no replica outlives the test.
final class UpProcess: @unchecked Sendable {
    let directory: URL
    let stateDirectory: String
    let specPath: String
    let process: ProbeProcess
    let client: AppsClient
    let app: String
    private let output = Mutex<[String]>([])
    private let groups = Mutex<Set<Int32>>([])
    private var stopped = false

    /// The path of the replica probe executable.
    static let probe = ProbeProcess.executable("stratus-replica-probe")

    /// Writes `spec` (with `{{probe}}` replaced by the probe's path) and starts
    /// `stratus up` on it, returning once it has recorded its control plane in up.json.
    static func start(_ spec: String, arguments: [String] = []) async throws -> UpProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let specPath = directory.appendingPathComponent("stratus.yaml").path
        try Data(spec.replacingOccurrences(of: "{{probe}}", with: probe).utf8).write(to: URL(fileURLWithPath: specPath))
        let stateDirectory = directory.appendingPathComponent(".stratus").path
        let process = try ProbeProcess(
            "stratus", ["up", "-f", specPath, "--no-build", "--state-dir", stateDirectory, "--no-color"] + arguments,
            logPath: directory.appendingPathComponent("up.err").path
        )
        let url: UpFile
        do {
            url = try await waitForControlPlane(stateDirectory: stateDirectory, process: process)
        } catch {
            let errors = (try? String(contentsOf: directory.appendingPathComponent("up.err"), encoding: .utf8)) ?? ""
            throw OrchestratorError("\(error); stderr: \(errors)")
        }
        let up = UpProcess(directory: directory, stateDirectory: stateDirectory, specPath: specPath, process: process, url: url.controlPlane, app: url.app)
        up.collectOutput()
        return up
    }

    private init(directory: URL, stateDirectory: String, specPath: String, process: ProbeProcess, url: String, app: String) {
        self.directory = directory
        self.stateDirectory = stateDirectory
        self.specPath = specPath
        self.process = process
        self.app = app
        client = AppsClient(baseURL: url)
    }

    private struct UpFile: Decodable {
        var app: String
        var controlPlane: String
    }

    private static func waitForControlPlane(stateDirectory: String, process: ProbeProcess) async throws -> UpFile {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: stateDirectory + "/up.json"), let file = try? JSONDecoder().decode(UpFile.self, from: data) {
                return file
            }
            guard ChildProcess.isRunning(process.pid) else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw OrchestratorError("stratus up did not start within 30 s")
    }

    /// Reads standard output on a thread, so that `stratus up` never blocks
    /// writing it.
    private func collectOutput() {
        let reader = LineReader(process.output)
        Task {
            while let line = await reader.nextLine() {
                output.withLock { $0.append(line) }
            }
        }
    }

    /// The lines `stratus up` printed so far.
    var lines: [String] {
        output.withLock { $0 }
    }

    /// Waits up to 10 s for a line of standard output that `matches`.
    func waitForLine(_ matches: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: matches) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw OrchestratorError("stratus up printed no such line within 10 s; it printed:\n\(lines.joined(separator: "\n"))")
    }

    /// What `stratus up` wrote to standard error.
    var errors: String {
        (try? String(contentsOf: directory.appendingPathComponent("up.err"), encoding: .utf8)) ?? ""
    }

    /// Returns the app's status and remembers its replicas' process groups.
    func status() async throws -> AppStatus {
        let status = try await client.status(app: app)
        let pids = status.services.flatMap(\.replicas).compactMap(\.pid)
        groups.withLock { $0.formUnion(pids) }
        return status
    }

    /// Polls the status until `condition` holds, for at most `limit`.
    @discardableResult
    func waitFor(_ what: String, within limit: Duration = .seconds(30), _ condition: (AppStatus) -> Bool) async throws -> AppStatus {
        let deadline = ContinuousClock.now + limit
        var last: AppStatus?
        while ContinuousClock.now < deadline {
            if let status = try? await status() {
                last = status
                if condition(status) { return status }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw OrchestratorError("timed out after \(limit) waiting for \(what); last status: \(last.map { "\($0)" } ?? "none")\nstderr: \(errors)")
    }

    /// Every process group a replica ran in, as seen by `status()`.
    var knownGroups: Set<Int32> {
        groups.withLock { $0 }
    }

    /// Sends `signal` to `stratus up` and waits up to `limit` for it to exit;
    /// returns its exit status, nil when it did not exit in time.
    @discardableResult
    func stop(_ signal: Int32 = SIGINT, within limit: Duration = .seconds(30)) async -> Int32? {
        kill(process.pid, signal)
        return await waitForExit(within: limit)
    }

    /// Waits up to `limit` for `stratus up` to exit on its own.
    func waitForExit(within limit: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(process.pid, &status, WNOHANG)
            if result == process.pid {
                stopped = true
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    deinit {
        if !stopped {
            kill(process.pid, SIGINT)
            for _ in 0..<500 {
                var status: Int32 = 0
                if waitpid(process.pid, &status, WNOHANG) == process.pid {
                    stopped = true
                    break
                }
                usleep(20_000)
            }
            if !stopped {
                kill(process.pid, SIGKILL)
            }
        }
        for group in knownGroups {
            kill(-group, SIGKILL)
        }
        client.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
