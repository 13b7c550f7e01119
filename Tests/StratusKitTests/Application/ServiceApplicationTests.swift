import Foundation
import StratusDiscovery
import StratusHTTP
import StratusNet
import StratusTelemetry
import Synchronization
import Testing
@testable import StratusKit

@Suite struct ServiceApplicationTests {
    func makeApp(_ settings: KitSettings = testSettings()) throws -> ServiceApplication {
        try ServiceApplication(name: "greeter", version: "1.2.3", settings: settings, metrics: MetricsRegistry(), logger: quietLogger)
    }

    @Test func servesRoutesWithStandardMiddleware() async throws {
        let app = try makeApp()
        app.router.get("/v1/greetings/:name") { _, context in
            "Hello, \(context.parameters["name"] ?? "")!"
        }
        let running = try await RunningApplication.start(app)
        let (response, body) = try await running.client.execute(
            HTTPClientRequest(url: running.baseURL + "/v1/greetings/ada"), collectingUpTo: 1024
        )
        #expect(response.status == .ok)
        #expect(String(decoding: body, as: UTF8.self) == "Hello, ada!")
        #expect(response.headers["X-Request-Id"]?.isEmpty == false)
        let (metricsStatus, metrics) = try await running.get("/metrics")
        #expect(metricsStatus == .ok)
        #expect(metrics.contains("route=\"/v1/greetings/:name\""))
        try await running.stop()
    }

    @Test func standardMiddlewareOrder() {
        var settings = KitSettings()
        settings.log.accessLog = true
        let registry = MetricsRegistry()
        let middleware = StandardPolicies(settings: settings, metrics: registry).standardMiddleware(settings: settings, metrics: registry)
        #expect(middleware.map { "\(type(of: $0))" } == [
            "RecoveryMiddleware", "RequestIDMiddleware", "AccessLogMiddleware", "HTTPServerMetricsMiddleware",
            "TracingMiddleware", "DeadlineMiddleware", "LoadSheddingMiddleware",
        ])
    }

    @Test func optionalMiddlewareCanBeTurnedOff() {
        var settings = KitSettings()
        settings.log.accessLog = false
        settings.metrics.enabled = false
        settings.shedding.enabled = false
        let registry = MetricsRegistry()
        let middleware = StandardPolicies(settings: settings, metrics: registry).standardMiddleware(settings: settings, metrics: registry)
        #expect(middleware.map { "\(type(of: $0))" } == ["RecoveryMiddleware", "RequestIDMiddleware", "TracingMiddleware", "DeadlineMiddleware"])
    }

    @Test func livenessAndReadinessAnswer() async throws {
        let app = try makeApp()
        app.addReadinessCheck("database") {}
        let running = try await RunningApplication.start(app)
        let (liveness, livenessBody) = try await running.get("/healthz")
        #expect(liveness == .ok)
        #expect(livenessBody == #"{"status":"ok"}"#)
        let (readiness, body) = try await running.get("/readyz")
        #expect(readiness == .ok)
        let report = try JSONDecoder().decode(ReadinessReport.self, from: Data(body.utf8))
        #expect(report.status == "ready")
        #expect(report.checks.map(\.name) == ["database"])
        #expect(report.checks.first?.status == "ok")
        try await running.stop()
    }

    /// Liveness is JSON, for GET and HEAD, and the service's middleware
    /// (which would add X-Request-Id) does not run for it.
    @Test func livenessReturnsJSONStatus() async throws {
        let running = try await RunningApplication.start(try makeApp())
        for method in [HTTPMethod.get, .head] {
            let request = HTTPClientRequest(method: method, url: running.baseURL + "/healthz")
            let (response, body) = try await running.client.execute(request, collectingUpTo: 1 << 16)
            #expect(response.status == .ok, "\(method)")
            #expect(response.headers["Content-Type"] == "application/json", "\(method)")
            #expect(response.headers["X-Request-ID"] == nil, "\(method)")
            #expect(String(decoding: body, as: UTF8.self) == (method == .get ? #"{"status":"ok"}"# : ""), "\(method)")
        }
        try await running.stop()
    }

    @Test func failingCheckMakesServiceNotReady() async throws {
        struct Unreachable: Error, CustomStringConvertible {
            var description: String { "connection refused by 127.0.0.1:5432" }
        }
        let app = try makeApp()
        app.addReadinessCheck("cache") {}
        app.addReadinessCheck("database") { throw Unreachable() }
        let running = try await RunningApplication.start(app)
        let (status, body) = try await running.get("/readyz")
        #expect(status == .serviceUnavailable)
        let report = try JSONDecoder().decode(ReadinessReport.self, from: Data(body.utf8))
        #expect(report.status == "not ready")
        #expect(report.checks.map(\.status) == ["ok", "failed"])
        #expect(report.checks.last?.error == "connection refused by 127.0.0.1:5432")
        try await running.stop()
    }

    @Test func stuckCheckTimesOut() async throws {
        let app = try makeApp()
        let gate = Gate()
        app.addReadinessCheck("stuck", timeout: .milliseconds(50)) {
            await gate.wait()
        }
        let running = try await RunningApplication.start(app)
        let (status, body) = try await running.get("/readyz")
        #expect(status == .serviceUnavailable)
        let report = try JSONDecoder().decode(ReadinessReport.self, from: Data(body.utf8))
        #expect(report.checks.first?.error == "timed out after 0.05 seconds")
        gate.open()
        try await running.stop()
    }

    @Test func portInUseFailsStart() async throws {
        let first = try await RunningApplication.start(try makeApp())
        let port = try SocketAddress(parsing: String(first.baseURL.dropFirst("http://".count))).port
        var settings = testSettings()
        settings.server.port = port
        // Another service on the same port: SO_REUSEPORT lets a second
        // socket bind only for the same user, so block the port with a
        // socket that does not set it.
        let blocker = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: 1, reusePort: false)
        defer { blocker.close() }
        let blocked = try #require(try blocker.localAddress()?.port)
        settings.server.port = blocked
        let service = try makeApp(settings).makeService(handlesSignals: false)
        await #expect {
            try await service.run()
        } throws: { error in
            "\(error)".hasPrefix("cannot listen on 127.0.0.1:\(blocked): ") && "\(error)".hasSuffix("; stop the process using the port or set server.port")
        }
        await #expect(throws: StartupError.self) { _ = try await service.waitUntilServing() }
        try await first.stop()
    }

    @Test func failingWorkerStopsService() async throws {
        struct Broken: Error {}
        let app = try makeApp()
        app.addWorker("indexer") { throw Broken() }
        let service = try app.makeService(handlesSignals: false)
        await #expect(throws: Broken.self) { try await service.run() }
        #expect(service.readiness.isDraining)
    }

    @Test func workersAreCancelledAfterServerStops() async throws {
        let events = Events()
        let app = try makeApp()
        app.addWorker("poller") {
            events.record("worker started")
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
            events.record("worker cancelled")
        }
        let running = try await RunningApplication.start(app)
        try await events.wait(for: "worker started")
        try await running.stop()
        #expect(events.all == ["worker started", "worker cancelled"])
    }

    @Test func leaderOnlyWorkerRunsWithoutControlPlane() async throws {
        let events = Events()
        let app = try makeApp()
        app.withLeadership("reaper") {
            events.record("leading")
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        let running = try await RunningApplication.start(app)
        try await events.wait(for: "leading")
        try await running.stop()
    }

    struct InvalidSetting: Sendable, CustomTestStringConvertible {
        let key: String
        let change: @Sendable (inout KitSettings) -> Void
        let message: String
        var testDescription: String { key }
    }

    static let invalidSettings = [
        InvalidSetting(key: "server.port", change: { $0.server.port = 70000 }, message: "invalid value 70000 for server.port; expected a port from 0 to 65535, 0 for any free port"),
        InvalidSetting(key: "server.host", change: { $0.server.host = "example.test" }, message: "invalid value example.test for server.host; expected a numeric IPv4 or IPv6 address such as 127.0.0.1"),
        InvalidSetting(key: "tracing.sampleRate", change: { $0.tracing.sampleRate = 1.5 }, message: "invalid value 1.5 for tracing.sampleRate; expected a number from 0 to 1, such as 0.01"),
        InvalidSetting(key: "tracing.otlpEndpoint", change: { $0.tracing.sampleRate = 0.5 }, message: "tracing.sampleRate is 0.5 but tracing.otlpEndpoint is missing; set the OTLP/HTTP receiver, such as http://127.0.0.1:4318"),
        InvalidSetting(key: "log.format", change: { $0.log.format = "xml" }, message: "invalid value xml for log.format; expected json or console"),
        InvalidSetting(key: "server.drainPeriod", change: { $0.server.drainPeriod = .seconds(-1) }, message: "invalid value -1.0 seconds for server.drainPeriod; expected a duration of zero or more, such as 5s"),
        InvalidSetting(key: "controlPlane.endpoints", change: { $0.controlPlane = ControlPlaneSettings(endpoints: ["127.0.0.1:7700"]) }, message: "invalid value 127.0.0.1:7700 for controlPlane.endpoints; expected an http:// URL such as http://127.0.0.1:7700"),
    ]

    @Test(arguments: invalidSettings)
    func invalidSettingIsRejected(_ invalid: InvalidSetting) throws {
        var settings = testSettings()
        invalid.change(&settings)
        #expect(throws: StartupError(invalid.message)) { try makeApp(settings) }
    }

    @Test func invalidNameIsRejected() {
        #expect(throws: StartupError("invalid service name \"Greeter_1\"; expected lowercase letters, digits and \"-\", starting with a letter, at most 63 characters")) {
            try ServiceApplication(name: "Greeter_1", settings: testSettings(), logger: quietLogger)
        }
    }
}

/// Events recorded by workers and handlers, awaitable by tests.
final class Events: Sendable {
    private let state = Mutex<(events: [String], waiters: [(String, CheckedContinuation<Void, Never>)])>(([], []))

    var all: [String] { state.withLock { $0.events } }

    func record(_ event: String) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            let ready = state.waiters.filter { $0.0 == event }.map(\.1)
            state.waiters.removeAll { $0.0 == event }
            return ready
        }
        ready.forEach { $0.resume() }
    }

    /// Waits until `event` is recorded, for at most 30 seconds.
    func wait(for event: String) async throws {
        let arrived = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let seen = self.state.withLock { state in
                        if state.events.contains(event) { return true }
                        state.waiters.append((event, continuation))
                        return false
                    }
                    if seen { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return false
            }
            let first = await group.next() ?? false
            if !first { self.record(event) }
            group.cancelAll()
            return first
        }
        #expect(arrived, "event \"\(event)\" not recorded within 30 s")
    }
}
