import Foundation
import Glibc
import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusTestSupport
import Synchronization
import Testing

/// Counts the outcomes of a load loop.
final class LoadResults: Sendable {
    private let state = Mutex((successes: 0, failures: [String]()))

    var successes: Int { state.withLock { $0.successes } }
    var failures: [String] { state.withLock { $0.failures } }

    func record(_ failure: String?) {
        state.withLock { state in
            if let failure { state.failures.append(failure) } else { state.successes += 1 }
        }
    }

    /// Waits until `count` requests succeeded in all, or a failure came.
    func waitForSuccesses(_ count: Int) async throws {
        while successes < count && failures.isEmpty {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Sends GETs through the gateway from `clients` tasks until stopped.
func runLoad(_ gateway: GatewayProcess, path: String, expect: @escaping @Sendable (HTTPClientResponse, String) -> Bool, clients: Int, results: LoadResults, stop: StopSignal) -> [Task<Void, Never>] {
    (0..<clients).map { _ in
        Task {
            while !stop.isSet {
                do {
                    let (response, body) = try await gateway.send(path)
                    results.record(expect(response, body) ? nil : "status \(response.status.code): \(body.prefix(200))")
                } catch {
                    results.record("\(error)")
                }
            }
        }
    }
}

final class StopSignal: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

@Suite(.serialized) struct ResilienceProcessTests {
    /// Starts a kit probe registered with the control plane and waits until it serves.
    private func startProbe(_ id: String, controlPlane: String, directory: URL) async throws -> ProbeProcess {
        let probe = try ProbeProcess(
            "stratus-kit-probe",
            ["--set", "server.port=0", "--set", "log.accessLog=false"],
            logPath: directory.appendingPathComponent("\(id).log").path,
            environment: ["STRATUS_CONTROLPLANE": controlPlane, "STRATUS_LOG_FORMAT": "json", "STRATUS_INSTANCE_ID": id]
        )
        let lines = LineReader(probe.output)
        while let line = await lines.nextLine() {
            if line.contains("\"service started\"") {
                Task.detached { while await lines.nextLine() != nil {} }
                return probe
            }
        }
        throw GatewayTestError(description: "kit probe \(id) did not start")
    }

    @Test func killingAnInstanceFailsNoIdempotentRequest() async throws {
        let (controlPlane, url) = try await startMemoryControlPlane()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-gateway-kill-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var probes: [ProbeProcess] = []
        for index in 1...3 {
            probes.append(try await startProbe("probe-\(index)", controlPlane: url, directory: directory))
        }
        let gateway = try await GatewayProcess(yaml: """
            settings:
              accessLog: false
              controlPlane: ["\(url)"]
            upstreams:
              - name: kit
                service: kit-probe
                loadBalancing: round-robin
                retries: {attempts: 3, backoffBase: 1ms, backoffMax: 5ms}
                outlierDetection: {consecutiveFailures: 2, baseEjectionTime: 30s}
            routes:
              - name: work
                match: {prefix: /}
                upstream: kit
            """)
        defer { gateway.stop() }
        let (_, view) = try await gateway.admin("/admin/upstreams/kit")
        #expect(view.components(separatedBy: "\"status\":\"UP\"").count - 1 == 3, "\(view)")

        let results = LoadResults()
        let stop = StopSignal()
        let load = runLoad(gateway, path: "/work?ms=2", expect: { $0.status == .ok && $1 == "done\n" }, clients: 8, results: results, stop: stop)
        try await results.waitForSuccesses(300)
        probes[1].kill(SIGKILL)
        let afterKill = results.successes
        try await results.waitForSuccesses(afterKill + 1500)
        stop.set()
        for task in load { await task.value }
        #expect(results.failures.isEmpty, "failed requests: \(results.failures.prefix(5))")
        let (_, afterView) = try await gateway.admin("/admin/upstreams/kit")
        #expect(afterView.contains("\"ejected\":true") || !afterView.contains("probe-2"), "the killed instance is neither ejected nor gone: \(afterView)")
        // SIGKILL, because a probe's graceful drain would block this thread in waitpid.
        for probe in probes { probe.kill(SIGKILL) }
        await controlPlane.shutdown()
    }

    @Test func reloadUnderLoadFailsNoRequest() async throws {
        let first = try await EchoUpstream.start(name: "first")
        let second = try await EchoUpstream.start(name: "second")
        func config(_ upstream: EchoUpstream, generation: Int) -> String {
            """
            settings:
              accessLog: false
            upstreams:
              - name: app
                endpoints: ["\(upstream.endpoint)"]
              - name: unused\(generation)
                endpoints: ["127.0.0.1:1"]
            routes:
              - name: app
                match: {prefix: /}
                upstream: app
                requestHeaders: {set: {X-Generation: "\(generation)"}}
              - name: extra\(generation)
                match: {prefix: /extra\(generation)}
                upstream: unused\(generation)
            """
        }
        let gateway = try await GatewayProcess(yaml: config(first, generation: 1))
        defer { gateway.stop() }
        let results = LoadResults()
        let stop = StopSignal()
        let load = runLoad(gateway, path: "/", expect: { response, _ in response.status == .ok }, clients: 8, results: results, stop: stop)
        try await results.waitForSuccesses(200)
        for generation in 2...7 {
            try await gateway.reload(config(generation % 2 == 0 ? second : first, generation: generation))
            try await results.waitForSuccesses(results.successes + 200)
        }
        // An invalid configuration is rejected and the running one stays.
        try "routes: [{name: broken}]".write(toFile: gateway.configPath, atomically: true, encoding: .utf8)
        let rejected = "stratus_gateway_config_reloads_total{result=\"rejected\"}"
        for _ in 0..<500 where try await PolicyProcessTests.metric(gateway, rejected) < 1 {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await results.waitForSuccesses(results.successes + 200)
        stop.set()
        for task in load { await task.value }
        #expect(results.failures.isEmpty, "failed requests: \(results.failures.prefix(5))")
        #expect(try await gateway.generation() == 7)
        let (_, body) = try await gateway.send("/")
        #expect(try EchoDescription(body).headers["x-generation"] == "7")
        #expect(try await PolicyProcessTests.metric(gateway, rejected) == 1)
        #expect(!first.requests.isEmpty)
        #expect(!second.requests.isEmpty)
        await first.stop()
        await second.stop()
    }
}
