import Foundation
import Glibc
import StratusConfig
import StratusControlPlane
import StratusHTTP
import StratusLog
import StratusNet
import StratusStore
import StratusTestSupport
import Synchronization
import Testing

/// The JSON log lines of a probe process, read in the background, with
/// waits for a line that matches.
final class LogCollector: Sendable {
    private struct Waiter {
        let predicate: @Sendable (String) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var lines: [String] = []
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
        var ended = false
    }

    private let state = Mutex(State())

    init(_ reader: LineReader) {
        Task { [self] in
            while let line = await reader.nextLine() {
                append(line)
            }
            end()
        }
    }

    var lines: [String] { state.withLock { $0.lines } }

    /// Returns the JSON objects of the lines whose message is `message`.
    func entries(_ message: String) -> [[String: Any]] {
        lines.compactMap(Self.object).filter { $0["message"] as? String == message }
    }

    /// Waits until a line matches, for at most `limit`; returns whether one did.
    func waitFor(within limit: Duration = .seconds(30), _ predicate: @escaping @Sendable (String) -> Bool) async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [self] in
            try? await Task.sleep(for: limit)
            resume(id, with: false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let found = state.withLock { state -> Bool? in
                if state.lines.contains(where: predicate) { return true }
                if state.ended { return false }
                state.waiters[id] = Waiter(predicate: predicate, continuation: continuation)
                return nil
            }
            if let found { continuation.resume(returning: found) }
        }
    }

    /// Waits for a JSON line with `message` whose fields hold `fields`.
    func waitFor(message: String, _ fields: [String: String] = [:], within limit: Duration = .seconds(30)) async -> Bool {
        await waitFor(within: limit) { line in
            guard let object = Self.object(line), object["message"] as? String == message else { return false }
            return fields.allSatisfy { "\(object[$0.key] ?? "")" == $0.value }
        }
    }

    private func append(_ line: String) {
        let matched = state.withLock { state in
            state.lines.append(line)
            let matched = state.waiters.filter { $0.value.predicate(line) }
            matched.keys.forEach { state.waiters.removeValue(forKey: $0) }
            return Array(matched.values)
        }
        matched.forEach { $0.continuation.resume(returning: true) }
    }

    private func end() {
        let waiters = state.withLock { state in
            state.ended = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.continuation.resume(returning: false) }
    }

    private func resume(_ id: UInt64, with found: Bool) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: found)
    }

    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

/// A running stratus-config-probe: a kit service that follows the
/// namespace config-probe/dev/application and serves it at `/config`.
final class ConfigProbeProcess: Sendable {
    struct Served: Decodable, Equatable {
        var release: Int?
        var source: String?
        var greeting: String?
        var limit: Int?
        var changes: Int
    }

    let id: String
    let process: ProbeProcess
    let log: LogCollector
    let baseURL: String
    let errors: String

    private init(id: String, process: ProbeProcess, log: LogCollector, baseURL: String, errors: String) {
        self.id = id
        self.process = process
        self.log = log
        self.baseURL = baseURL
        self.errors = errors
    }

    /// Starts a probe and waits until it serves.
    static func start(id: String, controlPlane: String, labels: [String: String] = [:], cacheDirectory: String? = nil, directory: URL) async throws -> ConfigProbeProcess {
        var arguments = [
            "--set", "server.port=0", "--set", "server.drainPeriod=0s", "--set", "log.accessLog=false",
            "--set", "controlPlane.endpoints=[\(controlPlane)]", "--set", "controlPlane.instanceId=\(id)",
            "--set", "configCenter.startTimeout=3s",
        ]
        for (key, value) in labels {
            arguments += ["--set", "controlPlane.labels.\(key)=\(value)"]
        }
        if let cacheDirectory {
            arguments += ["--set", "configCenter.cacheDirectory=\(cacheDirectory)"]
        }
        let errors = directory.appendingPathComponent("\(id).stderr.log").path
        let process = try ProbeProcess("stratus-config-probe", arguments, logPath: errors, environment: ["STRATUS_LOG_FORMAT": "json"])
        let log = LogCollector(LineReader(process.output))
        let started = await log.waitFor(message: "service started")
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        let line = try #require(log.entries("service started").first, "probe \(id) did not start: \(stderr)")
        let address = try #require(line["server.address"] as? String)
        #expect(started)
        return ConfigProbeProcess(id: id, process: process, log: log, baseURL: "http://\(address)", errors: errors)
    }

    /// Waits for the log line that reports the probe applied `release`.
    func waitForApplied(_ release: Int) async throws {
        let found = await log.waitFor(message: "config release applied", ["config.release": "\(release)"])
        try #require(found, "probe \(id) did not apply release \(release); it logged \(appliedReleases())")
    }

    /// Waits for the log line that reports the probe refused `release`.
    func waitForRefused(_ release: Int) async throws {
        let found = await log.waitFor(message: "config release refused; keeping the previous one", ["config.release": "\(release)"])
        try #require(found, "probe \(id) did not refuse release \(release)")
    }

    /// Returns the releases the probe applied, in order.
    func appliedReleases() -> [Int] {
        log.entries("config release applied").compactMap { Int("\($0["config.release"] ?? "")") }
    }

    func served() async throws -> Served {
        let client = HTTPClient()
        defer { client.shutdown() }
        let (response, body) = try await client.execute(HTTPClientRequest(url: baseURL + "/config"), collectingUpTo: 1 << 16)
        try #require(response.status.code == 200, "GET /config: \(String(decoding: body, as: UTF8.self))")
        return try JSONDecoder().decode(Served.self, from: Data(body))
    }

    func stop() {
        process.kill(SIGTERM)
    }
}

/// The store a control plane in a process test runs on.
enum ConfigBackend: String, CaseIterable, Sendable {
    case embedded
    case etcd
}

/// A control plane for process tests, on an embedded store or a real etcd,
/// that can be stopped and started again on the same port and data. The
/// port is below the range that port 0 hands out, so no other test's
/// server takes it while the control plane is stopped.
final class ConfigTestControlPlane: @unchecked Sendable {
    let backend: ConfigBackend
    private(set) var controlPlane: ControlPlane?
    let port: Int
    private let etcd: EtcdPeer?
    private let embedded: EmbeddedStoreHolder?

    init(_ backend: ConfigBackend) async throws {
        self.backend = backend
        port = try LoopbackPorts.belowEphemeralRange()
        switch backend {
        case .embedded:
            etcd = nil
            embedded = try EmbeddedStoreHolder()
        case .etcd:
            etcd = try await EtcdPeer.start(name: "config-center")
            embedded = nil
        }
        try await start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func start() async throws {
        var configuration = ControlPlane.Configuration(store: .memory)
        configuration.port = port
        configuration.healthChecks = false
        configuration.logger = Logger(label: "stratus.test.controlplane") { NoOpLogHandler(label: $0) }
        let controlPlane: ControlPlane
        if let etcd {
            configuration.store = .etcd(endpoints: [etcd.clientURL])
            controlPlane = try ControlPlane(configuration: configuration)
        } else {
            controlPlane = try ControlPlane(configuration: configuration, store: embedded!.store)
        }
        try await controlPlane.start()
        self.controlPlane = controlPlane
    }

    func stop() async {
        await controlPlane?.shutdown(gracePeriod: .milliseconds(200))
        controlPlane = nil
    }

    func close() async {
        await stop()
        await etcd?.stop()
        await embedded?.store.close()
    }
}

/// An in-memory embedded store that outlives the control planes serving it.
final class EmbeddedStoreHolder: Sendable {
    let store: EmbeddedStore

    init() throws {
        store = try EmbeddedStore(configuration: .init(path: nil), logger: Logger(label: "test") { NoOpLogHandler(label: $0) })
    }
}
