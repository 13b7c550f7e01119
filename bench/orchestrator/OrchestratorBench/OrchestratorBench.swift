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

    static func main() async {
        do {
            try await run(parse(Array(CommandLine.arguments.dropFirst())))
        } catch {
            FileHandle.standardError.write(Data("stratus-orchestrator-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: Options) async throws {
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

    /// Kills one replica after another with SIGKILL and measures the time
    /// until each replacement is ready and registered. Each kill picks a
    /// replica that has not crashed yet, so every restart waits the first
    /// back-off of 1 s.
    static func measureReplacements(_ options: Options, up: BenchUp) async throws {
        var times: [Double] = []
        for index in 0..<options.kills {
            let status = try await up.waitFor("the app to be ready", BenchUp.isReady)
            let replicas = status.services.flatMap(\.replicas).sorted { $0.restarts != $1.restarts ? $0.restarts < $1.restarts : $0.id < $1.id }
            guard let victim = replicas.first, let pid = victim.pid else {
                throw OrchestratorError("no replica runs")
            }
            let killed = ContinuousClock.now
            kill(pid, SIGKILL)
            try await up.waitFor("\(victim.id) to be replaced") { status in
                status.services.flatMap(\.replicas).contains { $0.id == victim.id && $0.pid != pid && $0.ready && $0.registered }
            }
            times.append(LoadSummary.milliseconds(ContinuousClock.now - killed))
            print("kill -9 \(index + 1): \(victim.id), replaced and ready after \(String(format: "%.0f", times.last!)) ms")
        }
        print(String(format: "kill -9 to replacement ready: median %.0f ms (includes the 1 s back-off before a replica's first restart)", median(times)))
    }

    /// Rollouts one after another under a fixed load, each followed by a
    /// steady window of the same length without a rollout. The steady
    /// windows interleave with the rollouts, so that both see the same
    /// background load from other work on the machine.
    static func measureRollouts(_ options: Options, up: BenchUp, gateway: String?) async throws {
        let clients = try ServiceClients(controlPlane: ControlPlaneClient(endpoints: [up.client.baseURL]))
        let target: LoadRecorder.Target = gateway.map { .gateway($0) } ?? .serviceClient(clients.client(for: "greeter-api"))
        let recorder = LoadRecorder(target: target, path: "/v1/hello/ada?lang=fr")
        let load = Task { await recorder.run(rate: options.rate) }

        try await Task.sleep(for: .seconds(2))
        let steadyStart = ContinuousClock.now
        try await up.poll(for: .seconds(options.steady))
        var steady = [steadyStart..<ContinuousClock.now]

        print("load average before the rollouts: \(loadAverage())")
        var rollouts: [Range<ContinuousClock.Instant>] = []
        for index in 0..<options.rollouts {
            let service = index % 2 == 0 ? "greeter-api" : "greeter-names"
            let start = ContinuousClock.now
            _ = try await up.client.restart(app: up.app, service: service)
            try await Task.sleep(for: .milliseconds(300))
            try await up.waitFor("the rollout of \(service)") { status in
                status.services.first { $0.name == service }.map { $0.rollout.complete && $0.rollout.oldReplicas == 0 } ?? false
            }
            let end = ContinuousClock.now
            rollouts.append(start..<end)
            try await up.poll(for: end - start)
            steady.append(end..<ContinuousClock.now)
        }
        print("load average after the rollouts: \(loadAverage())")
        recorder.stop()
        await load.value

        let steadySummary = LoadSummary(recorder.samples(in: steady))
        let rolloutSummary = LoadSummary(recorder.samples(in: rollouts))
        print("load: \(options.rate) requests/s of GET /v1/hello/ada?lang=fr to greeter-api through \(gateway.map { "the gateway at \($0)" } ?? "the service client")")
        print("steady (\(options.steady) s, then a window as long as each rollout after it): \(steadySummary)")
        print("during \(options.rollouts) rollouts: \(rolloutSummary)")
        print("rollout durations (ms): " + rollouts.map { String(format: "%.0f", LoadSummary.milliseconds($0.upperBound - $0.lowerBound)) }.joined(separator: ", "))
        print(String(format: "p99 during rollouts / steady p99: %.2f", steadySummary.p99 > 0 ? rolloutSummary.p99 / steadySummary.p99 : 0))
        if ProcessInfo.processInfo.environment["BENCH_SLOW"] != nil {
            printSlowRequests(recorder, in: rollouts, label: "rollout", threshold: steadySummary.p99)
            printSlowRequests(recorder, in: Array(steady.dropFirst()), label: "steady", threshold: steadySummary.p99)
        }
        if !recorder.firstFailures.isEmpty {
            print("first failures: \(recorder.firstFailures)")
        }
        recorder.shutdown()
        await clients.shutdown()
    }

    /// Prints, for each window, the requests slower than `threshold` ms as
    /// OFFSET@LATENCY, the offset from the window's start, both in ms.
    static func printSlowRequests(_ recorder: LoadRecorder, in windows: [Range<ContinuousClock.Instant>], label: String, threshold: Double) {
        for window in windows {
            let slow = recorder.samples(in: [window]).filter { LoadSummary.milliseconds($0.latency) > threshold }
            let described = slow.map { String(format: "%.0f@%.1f", LoadSummary.milliseconds($0.start - window.lowerBound), LoadSummary.milliseconds($0.latency)) }
            print("slow in \(label): " + described.joined(separator: " "))
        }
    }

    /// Returns /proc/loadavg's first three fields: other work on the machine
    /// shows there.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
