import Foundation
import Glibc
import StratusControlPlane
import StratusDiscovery
import StratusKit
import StratusOrchestrator

/// bench/orchestrator's driver: start-up time, replacement after kill -9
/// and rollouts under load, for one app spec. bench/orchestrator/run
/// describes the workloads.
@main
struct OrchestratorBench {
    struct Options {
        var stratus = ".build/release/stratus"
        var spec = "bench/orchestrator/greeter.yaml"
        var startups = 3
        var kills = 5
        var rollouts = 10
        var rate = 200
        var steady = 10
    }

    static func main() async throws {
        let options = try parse(Array(CommandLine.arguments.dropFirst()))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await measureStartups(options, directory: directory)
        let up = try await BenchUp.start(stratus: options.stratus, spec: options.spec, directory: directory + "/main")
        do {
            let status = try await up.waitFor("the app to be ready", BenchUp.isReady)
            try await measureReplacements(options, up: up)
            try await measureRollouts(options, up: up, gateway: status.gateway)
        } catch {
            await up.stop()
            throw error
        }
        await up.stop()
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { throw OrchestratorError("\(name) needs a value") }
            switch name {
            case "--stratus": options.stratus = value
            case "--spec": options.spec = value
            case "--startups": options.startups = Int(value) ?? options.startups
            case "--kills": options.kills = Int(value) ?? options.kills
            case "--rollouts": options.rollouts = Int(value) ?? options.rollouts
            case "--rate": options.rate = Int(value) ?? options.rate
            case "--steady": options.steady = Int(value) ?? options.steady
            default: throw OrchestratorError("unknown option \(name)")
            }
        }
        return options
    }

    /// `stratus up` from built binaries to every replica ready, then down.
    static func measureStartups(_ options: Options, directory: String) async throws {
        var times: [Double] = []
        for run in 0..<options.startups {
            let started = ContinuousClock.now
            let up = try await BenchUp.start(stratus: options.stratus, spec: options.spec, directory: "\(directory)/startup-\(run)")
            try await up.waitFor("the app to be ready", BenchUp.isReady)
            times.append(LoadSummary.milliseconds(ContinuousClock.now - started))
            await up.stop()
        }
        print("startup to all ready (ms): " + times.map { String(format: "%.0f", $0) }.joined(separator: ", ") + String(format: "; median %.0f", median(times)))
    }

    /// kill -9 of greeter-names-1, then the time until its replacement is
    /// ready and registered.
    static func measureReplacements(_ options: Options, up: BenchUp) async throws {
        var times: [Double] = []
        for _ in 0..<options.kills {
            let status = try await up.waitFor("the app to be ready", BenchUp.isReady)
            guard let victim = status.services.flatMap(\.replicas).first(where: { $0.id == "greeter-names-1" }), let pid = victim.pid else {
                throw OrchestratorError("greeter-names-1 does not run")
            }
            let killed = ContinuousClock.now
            kill(pid, SIGKILL)
            try await up.waitFor("greeter-names-1 to be replaced") { status in
                status.services.flatMap(\.replicas).contains { $0.id == "greeter-names-1" && $0.pid != pid && $0.ready && $0.registered }
            }
            times.append(LoadSummary.milliseconds(ContinuousClock.now - killed))
        }
        print("kill -9 to replacement ready (ms): " + times.map { String(format: "%.0f", $0) }.joined(separator: ", ")
            + String(format: "; median %.0f (includes the first restart's 1 s back-off)", median(times)))
    }

    /// Steady load, then rollouts one after another under the same load.
    static func measureRollouts(_ options: Options, up: BenchUp, gateway: String?) async throws {
        let clients = try ServiceClients(controlPlane: ControlPlaneClient(endpoints: [up.client.baseURL]))
        let target: LoadRecorder.Target = gateway.map { .gateway($0) } ?? .serviceClient(clients.client(for: "greeter-api"))
        let recorder = LoadRecorder(target: target, path: "/v1/hello/ada?lang=fr")
        let load = Task { await recorder.run(rate: options.rate) }

        try await Task.sleep(for: .seconds(2))
        let steadyStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(options.steady))
        let steady = steadyStart..<ContinuousClock.now

        var windows: [Range<ContinuousClock.Instant>] = []
        var durations: [Double] = []
        for index in 0..<options.rollouts {
            let service = index % 2 == 0 ? "greeter-api" : "greeter-names"
            let start = ContinuousClock.now
            _ = try await up.client.restart(app: up.app, service: service)
            try await Task.sleep(for: .milliseconds(300))
            try await up.waitFor("the rollout of \(service)") { status in
                status.services.first { $0.name == service }.map { $0.rollout.complete && $0.rollout.oldReplicas == 0 } ?? false
            }
            windows.append(start..<ContinuousClock.now)
            durations.append(LoadSummary.milliseconds(ContinuousClock.now - start))
        }
        try await Task.sleep(for: .seconds(1))
        recorder.stop()
        await load.value

        let steadySummary = LoadSummary(recorder.samples(in: [steady]))
        let rolloutSummary = LoadSummary(recorder.samples(in: windows))
        print("load: \(options.rate) requests/s of GET /v1/hello/ada?lang=fr to greeter-api through \(gateway.map { "the gateway at \($0)" } ?? "the service client")")
        print("steady (\(options.steady) s): \(steadySummary)")
        print("during \(options.rollouts) rollouts: \(rolloutSummary)")
        print("rollout durations (ms): " + durations.map { String(format: "%.0f", $0) }.joined(separator: ", "))
        print(String(format: "p99 during rollouts / steady p99: %.2f", steadySummary.p99 > 0 ? rolloutSummary.p99 / steadySummary.p99 : 0))
        if !recorder.firstFailures.isEmpty {
            print("first failures: \(recorder.firstFailures)")
        }
        recorder.shutdown()
        await clients.shutdown()
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
