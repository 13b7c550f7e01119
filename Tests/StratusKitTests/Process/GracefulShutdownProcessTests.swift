import Foundation
import Glibc
import StratusControlPlane
import StratusDiscovery
import StratusHTTP
import StratusTestSupport
import Synchronization
import Testing

/// What the test saw, each with a sequence number shared by every
/// observer, so the order across observers is known.
final class Observations: Sendable {
    enum Event: Sendable, Equatable {
        case response(ok: Bool, afterSignal: Bool, detail: String)
        case signalSent
        case readinessDraining
        case instanceStatus(String)
    }

    private let state = Mutex<[Event]>([])
    private let signalled = Atomic<Bool>(false)

    var all: [Event] { state.withLock { $0 } }
    var signalWasSent: Bool { signalled.load(ordering: .acquiring) }

    func record(_ event: Event) {
        if event == .signalSent { signalled.store(true, ordering: .releasing) }
        state.withLock { $0.append(event) }
    }

    func index(of event: Event) -> Int? {
        state.withLock { $0.firstIndex(of: event) }
    }

    var successCount: Int {
        state.withLock { $0.count { if case .response(true, _, _) = $0 { true } else { false } } }
    }
}

/// A flag that tells load loops to stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}

@Suite(.serialized) struct GracefulShutdownProcessTests {
    /// The lines the probe logs while it stops, in the order it must log them.
    static let shutdownSequence = [
        "shutdown started; reporting not ready",
        "instance marked DRAINING",
        "instance deregistered",
        "draining",
        "stopping the server",
        "server stopped",
        "service stopped",
    ]

    @Test func sigtermUnderLoadLosesNoRequest() async throws {
        let (controlPlane, url) = try await startControlPlaneURL()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-kit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let probe = try ProbeProcess(
            "stratus-kit-probe",
            ["--set", "server.port=0", "--set", "server.drainPeriod=1s", "--set", "log.accessLog=false"],
            logPath: directory.appendingPathComponent("stderr.log").path,
            environment: ["STRATUS_CONTROLPLANE": url, "STRATUS_LOG_FORMAT": "json", "STRATUS_INSTANCE_ID": "probe-1"]
        )
        let lines = LineReader(probe.output)
        let address = try #require(await Self.readStartedAddress(lines), "the probe logged no \"service started\" line")
        let logTask = Task { await Self.readMessages(lines) }

        let observations = Observations()
        let client = try ControlPlaneClient(endpoints: [url])
        let discovery = ServiceDiscovery(client: client, service: "kit-probe", logger: quietLogger)
        await discovery.start()
        let statuses = Task {
            var last = ""
            for await snapshot in discovery.updates() {
                let status = snapshot.instances.first.map(\.status.rawValue) ?? "GONE"
                if status != last {
                    observations.record(.instanceStatus(status))
                    last = status
                }
                if status == "GONE" && observations.signalWasSent { return }
            }
        }

        let http = HTTPClient()
        let base = "http://\(address)"
        let stopLoad = StopFlag()
        let load = (0..<8).map { _ in
            Task { await Self.sendUntilRefused(base: base, http: http, observations: observations, stop: stopLoad) }
        }
        let readiness = Task { await Self.pollReadiness(base: base, http: http, observations: observations, stop: stopLoad) }

        while observations.successCount < 200 {
            try await Task.sleep(for: .milliseconds(5))
        }
        observations.record(.signalSent)
        kill(probe.pid, SIGTERM)
        let status = await probe.exitStatus()
        stopLoad.set()
        for task in load { await task.value }
        await readiness.value
        await statuses.value
        discovery.stop()
        http.shutdown()
        let messages = await logTask.value
        await controlPlane.shutdown()

        #expect(status == 0)
        let events = observations.all
        let failures = events.compactMap { event -> String? in
            guard case .response(false, _, let detail) = event else { return nil }
            return detail
        }
        #expect(failures.isEmpty, "requests lost during the shutdown: \(failures.prefix(5))")
        let servedAfterSignal = events.count { $0 == .response(ok: true, afterSignal: true, detail: "") }
        #expect(servedAfterSignal > 0, "no request was served during the drain period")

        let positions = Self.shutdownSequence.map { messages.firstIndex(of: $0) }
        #expect(!positions.contains(nil), "missing shutdown log lines; the probe logged \(messages)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "shutdown steps out of order: \(messages)")

        let draining = try #require(observations.index(of: .instanceStatus("DRAINING")))
        let gone = try #require(observations.index(of: .instanceStatus("GONE")))
        let notReady = try #require(observations.index(of: .readinessDraining))
        let signal = try #require(observations.index(of: .signalSent))
        #expect(signal < draining)
        #expect(draining < gone)
        #expect(signal < notReady)
    }

    /// Reads the probe's JSON log lines until "service started" and returns
    /// its server address.
    static func readStartedAddress(_ lines: LineReader) async -> String? {
        while let line = await lines.nextLine() {
            guard let object = jsonObject(line), object["message"] as? String == "service started" else { continue }
            return object["server.address"] as? String
        }
        return nil
    }

    /// Returns the message of every JSON log line until the probe exits.
    static func readMessages(_ lines: LineReader) async -> [String] {
        var messages: [String] = []
        while let line = await lines.nextLine() {
            if let message = jsonObject(line)?["message"] as? String {
                messages.append(message)
            }
        }
        return messages
    }

    static func jsonObject(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// Sends requests one after another until the server refuses
    /// connections after the signal. A refused connection was never
    /// accepted, so it is not a lost request. Everything else that is not
    /// a complete 200 response is.
    static func sendUntilRefused(base: String, http: HTTPClient, observations: Observations, stop: StopFlag) async {
        while !stop.isSet {
            let afterSignal = observations.signalWasSent
            do {
                let (response, body) = try await http.execute(HTTPClientRequest(url: base + "/work?ms=10"), collectingUpTo: 1024)
                let ok = response.status == .ok && body == Array("done\n".utf8)
                observations.record(.response(ok: ok, afterSignal: afterSignal, detail: ok ? "" : "status \(response.status.code)"))
            } catch let error as HTTPClientError where error.code == .connectFailed && afterSignal {
                return
            } catch {
                observations.record(.response(ok: false, afterSignal: afterSignal, detail: "\(error)"))
                return
            }
        }
    }

    /// Polls `/readyz` until it reports draining or the server goes away.
    static func pollReadiness(base: String, http: HTTPClient, observations: Observations, stop: StopFlag) async {
        while !stop.isSet {
            guard let (response, body) = try? await http.execute(HTTPClientRequest(url: base + "/readyz"), collectingUpTo: 4096) else {
                return
            }
            if response.status == .serviceUnavailable, String(decoding: body, as: UTF8.self).contains("\"draining\"") {
                observations.record(.readinessDraining)
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
