import Foundation
import StratusConfig
import StratusDiscovery
import StratusLog
import StratusTestSupport
import Synchronization

/// Publishes releases to many watching clients and times each delivery.
enum PublishWorkload {
    static let namespace = NamespaceCoordinates(application: "config-bench", environment: "bench", namespace: "application")
    /// The maximum wait for every client to apply one release.
    static let deliveryTimeout: Duration = .seconds(60)

    static func run(_ options: BenchOptions) async throws -> [String: Any] {
        let controlPlane = try ControlPlaneClient(endpoints: [options.controlPlane], requestTimeout: .seconds(30))
        let admin = ConfigCenterClient(controlPlane: controlPlane)
        _ = try await admin.createNamespace(namespace, CreateNamespaceRequest(format: .keyValue, author: "bench"))
        _ = try await admin.setItem(namespace, key: "round", SetItemRequest(value: "0", author: "bench"))
        _ = try await admin.publish(namespace, PublishRequest(author: "bench"))

        let recorder = DeliveryRecorder(clients: options.clients)
        let quiet = Logger(label: "bench") { NoOpLogHandler(label: $0) }
        let connectStart = ContinuousClock.now
        var configurations: [RemoteConfiguration] = []
        for index in 0..<options.clients {
            let options = RemoteConfiguration.Options(application: namespace.application, environment: namespace.environment, namespace: namespace.namespace, instanceID: "bench-\(index)")
            let configuration = RemoteConfiguration(client: ConfigCenterClient(controlPlane: controlPlane), options: options, logger: quiet)
            configuration.onChange(of: "round", as: Int.self) { _, new in
                recorder.record(round: new ?? -1, client: index)
            }
            configurations.append(configuration)
        }
        await withTaskGroup(of: Void.self) { group in
            for configuration in configurations {
                group.addTask { await configuration.start() }
            }
        }
        try await recorder.waitForRound(0, timeout: deliveryTimeout)
        let connected = ContinuousClock.now - connectStart

        var samples: [Duration] = []
        var slowestPerRound: [Double] = []
        for round in 1...options.publishes {
            try await Task.sleep(for: options.pause)
            _ = try await admin.setItem(namespace, key: "round", SetItemRequest(value: "\(round)", author: "bench"))
            let start = ContinuousClock.now
            _ = try await admin.publish(namespace, PublishRequest(author: "bench"))
            try await recorder.waitForRound(round, timeout: deliveryTimeout)
            let deliveries = recorder.deliveries(of: round).map { $0 - start }
            samples += deliveries
            slowestPerRound.append((milliseconds(deliveries.max() ?? .zero) * 10).rounded() / 10)
        }
        for configuration in configurations {
            await configuration.stop()
        }
        var results = LatencySummary(samples).fields("applied")
        results["clients"] = options.clients
        results["publishes"] = options.publishes
        results["pause_ms"] = milliseconds(options.pause)
        results["connect_all_ms"] = (milliseconds(connected) * 10).rounded() / 10
        results["slowest_ms_by_publish"] = slowestPerRound
        return results
    }
}

/// When each client applied each round, and waits for a round to reach all.
final class DeliveryRecorder: Sendable {
    private struct State {
        var times: [Int: [ContinuousClock.Instant]] = [:]
        var waiter: (round: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let clients: Int
    private let state = Mutex(State())

    init(clients: Int) {
        self.clients = clients
    }

    func record(round: Int, client: Int) {
        let now = ContinuousClock.now
        let complete = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.times[round, default: []].append(now)
            guard let waiter = state.waiter, waiter.round == round, state.times[round]!.count == clients else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        complete?.resume()
    }

    func deliveries(of round: Int) -> [ContinuousClock.Instant] {
        state.withLock { $0.times[round] ?? [] }
    }

    /// Waits until every client applied `round`, or fails after `timeout`.
    func waitForRound(_ round: Int, timeout: Duration) async throws {
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter?.continuation
            }
            waiter?.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if (state.times[round]?.count ?? 0) >= clients { return true }
                state.waiter = (round, continuation)
                return false
            }
            if done { continuation.resume() }
        }
        let count = deliveries(of: round).count
        guard count >= clients else {
            throw BenchError("only \(count) of \(clients) clients applied release round \(round) within \(timeout)")
        }
    }
}
