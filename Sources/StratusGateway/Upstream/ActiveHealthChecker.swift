import StratusDiscovery
import StratusHTTP
import StratusLog
import Synchronization

/// Probes an upstream's instances with `GET path` and marks an instance
/// unhealthy after `unhealthyThreshold` failed probes in a row, healthy
/// again after `healthyThreshold` passing ones. Instances start healthy.
///
/// Thread safety: the state is behind a `Mutex`; `run` is one task.
final class ActiveHealthChecker: Sendable {
    private struct Record {
        var passes = 0
        var failures = 0
        var healthy = true
        var lastError: String?
    }

    private struct State {
        var records: [String: Record] = [:]
        var generation: UInt64 = 0
    }

    let configuration: ActiveHealthCheckConfiguration
    private let client: HTTPClient
    private let logger: Logger
    private let upstream: String
    private let state = Mutex(State())

    init(configuration: ActiveHealthCheckConfiguration, upstream: String, logger: Logger) {
        self.configuration = configuration
        self.upstream = upstream
        self.logger = logger
        var http = HTTPClientConfiguration()
        http.connectTimeout = configuration.timeout
        http.requestTimeout = configuration.timeout
        http.readTimeout = configuration.timeout
        http.maxConnectionsPerEndpoint = 2
        client = HTTPClient(configuration: http)
    }

    /// Raised each time an instance changes between healthy and unhealthy.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// The ids of the instances marked unhealthy now.
    var unhealthyIDs: Set<String> {
        state.withLock { Set($0.records.filter { !$0.value.healthy }.keys) }
    }

    /// Returns the last probe error of an instance, for the admin API.
    func lastError(of id: String) -> String? {
        state.withLock { $0.records[id]?.lastError }
    }

    /// Probes every instance that `instances` returns, each interval, until
    /// the task is cancelled.
    func run(instances: @escaping @Sendable () -> [ServiceInstance]) async {
        while !Task.isCancelled {
            let current = instances()
            await withTaskGroup(of: (String, String?).self) { group in
                for instance in current {
                    group.addTask { (instance.id, await self.probe(instance)) }
                }
                for await (id, error) in group {
                    record(id: id, error: error)
                }
            }
            forget(except: Set(current.map(\.id)))
            try? await Task.sleep(for: configuration.interval)
        }
        client.shutdown()
    }

    /// Returns nil when the probe passed, else why it failed.
    private func probe(_ instance: ServiceInstance) async -> String? {
        let request = HTTPClientRequest(url: "http://\(instance.endpoint)\(configuration.path)", headers: ["Connection": "close"])
        do {
            let (response, _) = try await client.execute(request, timeout: configuration.timeout, collectingUpTo: 64 << 10)
            return (200..<400).contains(response.status.code) ? nil : "status \(response.status.code)"
        } catch {
            return "\(error)"
        }
    }

    private func record(id: String, error: String?) {
        let changed: Bool? = state.withLock { state in
            var record = state.records[id, default: Record()]
            let before = record.healthy
            if let error {
                record.failures += 1
                record.passes = 0
                record.lastError = error
                if record.failures >= configuration.unhealthyThreshold { record.healthy = false }
            } else {
                record.passes += 1
                record.failures = 0
                if record.passes >= configuration.healthyThreshold { record.healthy = true }
            }
            state.records[id] = record
            guard record.healthy != before else { return nil }
            state.generation += 1
            return record.healthy
        }
        if let healthy = changed {
            logger.info(healthy ? "instance healthy" : "instance unhealthy", metadata: [
                "upstream": .string(upstream), "instance.id": .string(id), "error": .string(error ?? ""),
            ])
        }
    }

    private func forget(except present: Set<String>) {
        state.withLock { state in
            let before = state.records.count
            state.records = state.records.filter { present.contains($0.key) }
            if state.records.count != before { state.generation += 1 }
        }
    }
}
